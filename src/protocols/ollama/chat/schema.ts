// The wire request of POST /api/chat: Ollama's fields, bounded like the other protocols', unknown fields accepted.
import { z } from "zod";
import { boundedList, jsonSchemaField, modelField } from "../../bounded-fields.js";
import { LIMITS } from "../../limits.js";
import { generationFields } from "../generation-fields.js";

const ROLES = ["system", "user", "assistant", "tool"] as const;

const toolCall = z.looseObject({
  id: z.string().nullish(),
  function: z.looseObject({
    index: z.number().int().nullish(),
    name: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()).nullish(),
  }),
});

export const chatMessage = z.looseObject({
  // Ollama lowercases the role before reading it.
  role: z.preprocess((role) => (typeof role === "string" ? role.toLowerCase() : role), z.enum(ROLES)),
  content: z.string().nullish(),
  thinking: z.string().nullish(),
  images: boundedList(z.string(), LIMITS.contentParts, "images per message").nullish(),
  tool_calls: boundedList(toolCall, LIMITS.contentParts, "tool calls per message").nullish(),
  tool_name: z.string().nullish(),
  tool_call_id: z.string().nullish(),
});

const tool = z.looseObject({
  type: z.literal("function").optional(),
  function: z.looseObject({
    name: z.string().regex(/^[\w.-]{1,128}$/, { message: "must be 1 to 128 letters, digits, underscores, dots or dashes" }),
    description: z.string().nullish(),
    parameters: jsonSchemaField.nullish(),
  }),
});

/** LALS's own, in OpenAI's shape: Ollama has no way to force a call, and some clients must. */
const toolChoice = z.union([
  z.enum(["auto", "none", "required"]),
  z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string().max(128) }) }),
]);

// Ollama documents no bounds: a conversation and its tools get the most generous of the other protocols'.
export const chatRequest = z.looseObject({
  model: modelField,
  /** Empty or absent: load (or, with keep_alive 0, unload) the model and generate nothing. */
  messages: boundedList(chatMessage, LIMITS.messages.anthropic, "messages").nullish(),
  tools: boundedList(tool, LIMITS.tools.anthropic, "tools").nullish(),
  tool_choice: toolChoice.nullish(),
  ...generationFields,
});

export type ChatBody = z.infer<typeof chatRequest>;
export type ChatMessageBody = z.infer<typeof chatMessage>;
