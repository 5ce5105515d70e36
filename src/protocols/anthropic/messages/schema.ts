// The wire request of POST /v1/messages (and, without max_tokens, of /v1/messages/count_tokens).
import { z } from "zod";
import { boundedList, jsonSchemaField, modelField, stopSequences, textOrParts } from "../../bounded-fields.js";
import { LIMITS } from "../../limits.js";

const cacheControl = z.looseObject({ type: z.literal("ephemeral") }).nullish();

export const textBlock = z.looseObject({ type: z.literal("text"), text: z.string(), cache_control: cacheControl });
const imageBlock = z.looseObject({
  type: z.literal("image"),
  source: z.looseObject({ type: z.string(), media_type: z.string().optional(), data: z.string().optional(), url: z.string().optional() }),
  cache_control: cacheControl,
});
const toolResultBlock = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string().min(1),
  content: textOrParts(z.discriminatedUnion("type", [textBlock, imageBlock, z.looseObject({ type: z.enum(["document", "search_result", "tool_reference"]) })])).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});
const toolUseBlock = z.looseObject({
  type: z.literal("tool_use"),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
});
const thinkingBlock = z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string() });
const redactedThinkingBlock = z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() });

/** Block types of the API that need capabilities this server does not have (server tools, documents). */
export const UNSUPPORTED_BLOCK_TYPES = [
  "document", "search_result", "server_tool_use", "web_search_tool_result", "web_fetch_tool_result", "code_execution_tool_result",
  "bash_code_execution_tool_result", "text_editor_code_execution_tool_result", "tool_search_tool_result", "container_upload",
  "mcp_tool_use", "mcp_tool_result", "tool_reference", "compaction",
] as const;
const unsupportedBlock = z.looseObject({ type: z.enum(UNSUPPORTED_BLOCK_TYPES) });

export const contentBlock = z.discriminatedUnion("type", [
  textBlock, imageBlock, toolResultBlock, toolUseBlock, thinkingBlock, redactedThinkingBlock, unsupportedBlock,
]);

export const message = z.looseObject({
  role: z.enum(["user", "assistant", "system"]),
  content: textOrParts(contentBlock),
});

const thinking = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("enabled"), budget_tokens: z.number().int().min(1024) }),
  z.looseObject({ type: z.literal("disabled") }),
  z.looseObject({ type: z.literal("adaptive") }),
]);

/** A client tool; server tools (web search, code execution…) carry a versioned `type` and are refused in parsing. */
const tool = z.looseObject({
  type: z.string().optional(),
  name: z.string().regex(/^[\w-]{1,128}$/, { message: "must be 1 to 128 letters, digits, underscores or dashes" }),
  description: z.string().optional(),
  input_schema: jsonSchemaField.optional(),
  cache_control: cacheControl,
});

const toolChoice = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("tool"), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("none") }),
]);

/** The fields Messages and legacy Text Completions share. */
export const samplingFields = {
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  // Any shape: clients put what they like here (Claude Code a JSON string), and nothing the model sees depends on it.
  metadata: z.record(z.string(), z.unknown()).nullish(),
  stream: z.boolean().optional(),
};

export const messagesBase = z.looseObject({
  model: modelField,
  messages: boundedList(message, LIMITS.messages.anthropic, "messages").min(1, { message: "at least one message is required" }),
  system: textOrParts(textBlock).optional(),
  stop_sequences: stopSequences(LIMITS.stopSequences.anthropic).optional(),
  ...samplingFields,
  thinking: thinking.optional(),
  tools: boundedList(tool, LIMITS.tools.anthropic, "tools").optional(),
  tool_choice: toolChoice.optional(),
  output_config: z.looseObject({
    format: z.looseObject({ type: z.literal("json_schema"), schema: jsonSchemaField }).nullish(),
    effort: z.string().nullish(),
  }).optional(),
});

export const messagesRequest = messagesBase.extend({ max_tokens: z.number().int().min(1) });

export type MessagesBody = z.infer<typeof messagesBase> & { max_tokens?: number };
export type MessageBody = z.infer<typeof message>;
export type ContentBlockBody = z.infer<typeof contentBlock>;
