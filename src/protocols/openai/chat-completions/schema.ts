// The wire request of POST /v1/chat/completions: strict on what we read, tolerant of fields we don't use.
import { z } from "zod";
import { boundedList, jsonSchemaField, modelField, textOrParts } from "../../bounded-fields.js";
import { LIMITS } from "../../limits.js";
import { REASONING_EFFORTS } from "../reasoning-effort.js";
import { logitBiasField, MAX_TOP_LOGPROBS, refused, stopField } from "../sampling.js";

/** Choices per request: each takes a slot, so a bound keeps one request from filling the queue. */
export const MAX_CHOICES = LIMITS.choices;

const textPart = z.looseObject({ type: z.literal("text"), text: z.string() });
const imagePart = z.looseObject({
  type: z.literal("image_url"),
  image_url: z.looseObject({ url: z.string(), detail: z.string().optional() }),
});
const audioPart = z.looseObject({ type: z.literal("input_audio"), input_audio: z.looseObject({}) });
const filePart = z.looseObject({ type: z.literal("file"), file: z.looseObject({}) });
const refusalPart = z.looseObject({ type: z.literal("refusal"), refusal: z.string() });

const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const instructions = <R extends "system" | "developer">(role: R) => z.looseObject({
  role: z.literal(role),
  content: textOrParts(textPart),
  name: z.string().optional(),
});
const userMessage = z.looseObject({
  role: z.literal("user"),
  content: textOrParts(z.discriminatedUnion("type", [textPart, imagePart, audioPart, filePart])),
  name: z.string().optional(),
});
const assistantMessage = z.looseObject({
  role: z.literal("assistant"),
  content: textOrParts(z.discriminatedUnion("type", [textPart, refusalPart])).nullish(),
  tool_calls: z.array(toolCall).nullish(),
  reasoning_content: z.string().nullish(),
  reasoning: z.string().nullish(),
  name: z.string().optional(),
});
const toolMessage = z.looseObject({
  role: z.literal("tool"),
  content: textOrParts(textPart),
  tool_call_id: z.string(),
});

const functionTool = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().regex(/^[\w-]{1,64}$/, { message: "must be 1 to 64 letters, digits, underscores or dashes" }),
    description: z.string().optional(),
    parameters: jsonSchemaField.optional(),
    strict: z.boolean().nullish(),
  }),
});

const toolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string() }) }),
]);

const responseFormat = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: z.string().regex(/^[\w-]{1,64}$/, { message: "must be 1 to 64 letters, digits, underscores or dashes" }),
      description: z.string().optional(),
      schema: jsonSchemaField.optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);


export const chatMessage = z.discriminatedUnion("role", [instructions("system"), instructions("developer"), userMessage, assistantMessage, toolMessage]);

export const chatCompletionRequest = z.looseObject({
  model: modelField,
  messages: boundedList(chatMessage, LIMITS.messages.openai, "messages").min(1, { message: "must contain at least one message" }),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_k: z.number().int().min(0).nullish(),
  seed: z.number().int().nullish(),
  stop: stopField,
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  n: z.number().int().min(1).max(MAX_CHOICES, { message: `at most ${MAX_CHOICES} choices per request on this server` }).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  tools: boundedList(functionTool, LIMITS.tools.openai, "tools").nullish(),
  tool_choice: toolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  functions: refused("the deprecated functions API is not supported; use tools", false),
  function_call: refused("the deprecated functions API is not supported; use tool_choice", false),
  response_format: responseFormat.nullish(),
  logit_bias: logitBiasField,
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(MAX_TOP_LOGPROBS).nullish(),
  modalities: z.array(z.literal("text", { message: "only text output is supported" })).nullish(),
  audio: refused("audio output is not supported", false),
  web_search_options: refused("web search is not available on this server", false),
  service_tier: z.string().nullish(),
  store: z.boolean().nullish(),
  prediction: z.looseObject({}).nullish(),
  verbosity: z.enum(["low", "medium", "high"]).nullish(),
  prompt_cache_key: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  reasoning_effort: z.enum(REASONING_EFFORTS).nullish(),
  user: z.string().optional(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

export type ChatCompletionRequestBody = z.infer<typeof chatCompletionRequest>;
export type ChatMessageBody = z.infer<typeof chatMessage>;
