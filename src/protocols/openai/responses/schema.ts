// The wire request of POST /v1/responses: strict on what we read, tolerant of fields we don't use. Hosted tools and
// the items they leave in a history are accepted, to be left out with a warning: refusing them breaks agent clients.
import { z } from "zod";
import { boundedList, jsonSchemaField, LIMIT_PARAMS, modelField, textOrParts } from "../../bounded-fields.js";
import { LIMITS } from "../../limits.js";
import { REASONING_EFFORTS } from "../reasoning-effort.js";
import { MAX_TOP_LOGPROBS, refused } from "../sampling.js";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Item types of hosted tools and server features: accepted in a history, never shown to the model. */
const UNSUPPORTED_ITEM = "unsupported";
const KNOWN_ITEMS = new Set(["message", "function_call", "function_call_output", "custom_tool_call", "custom_tool_call_output", "reasoning", "item_reference", "additional_tools"]);
const TOOL_TYPES = new Set(["function", "namespace", "custom"]);
const HOSTED_TOOL = "hosted";

const inputText = z.looseObject({ type: z.literal("input_text"), text: z.string() });
const outputText = z.looseObject({ type: z.literal("output_text"), text: z.string() });
const refusal = z.looseObject({ type: z.literal("refusal"), refusal: z.string() });
const inputImage = z.looseObject({ type: z.literal("input_image"), image_url: z.string().nullish(), file_id: z.string().nullish(), detail: z.string().nullish() });
const inputFile = z.looseObject({ type: z.literal("input_file") });
const inputAudio = z.looseObject({ type: z.literal("input_audio") });

export const contentPart = z.discriminatedUnion("type", [inputText, outputText, refusal, inputImage, inputFile, inputAudio]);
const toolOutput = textOrParts(contentPart);

const message = z.looseObject({
  type: z.literal("message"),
  id: z.string().nullish(),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: textOrParts(contentPart),
  status: z.string().nullish(),
  phase: z.string().nullish(),
});
const functionCall = z.looseObject({
  type: z.literal("function_call"),
  id: z.string().nullish(),
  call_id: z.string(),
  name: z.string(),
  namespace: z.string().nullish(),
  arguments: z.string(),
  status: z.string().nullish(),
});
const functionCallOutput = z.looseObject({ type: z.literal("function_call_output"), id: z.string().nullish(), call_id: z.string(), output: toolOutput });
const customToolCall = z.looseObject({
  type: z.literal("custom_tool_call"),
  id: z.string().nullish(),
  call_id: z.string(),
  name: z.string(),
  namespace: z.string().nullish(),
  input: z.string(),
});
const customToolCallOutput = z.looseObject({ type: z.literal("custom_tool_call_output"), id: z.string().nullish(), call_id: z.string(), output: toolOutput });
const reasoning = z.looseObject({
  type: z.literal("reasoning"),
  id: z.string().nullish(),
  summary: z.array(z.looseObject({ type: z.string(), text: z.string() })).nullish(),
  content: z.array(z.looseObject({ type: z.string(), text: z.string() })).nullish(),
  encrypted_content: z.string().nullish(),
});
const functionTool = z.looseObject({
  type: z.literal("function"),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: jsonSchemaField.nullish(),
  strict: z.boolean().nullish(),
});
const customTool = z.looseObject({
  type: z.literal("custom"),
  name: z.string().min(1),
  description: z.string().nullish(),
  format: z.looseObject({ type: z.string(), syntax: z.string().optional(), definition: z.string().optional() }).nullish(),
});
const namespaceTool = z.looseObject({
  type: z.literal("namespace"),
  name: z.string().min(1),
  description: z.string().nullish(),
  tools: boundedList(z.discriminatedUnion("type", [functionTool, customTool]), LIMITS.tools.openai, "tools in a namespace"),
});
const hostedTool = z.looseObject({ type: z.literal(HOSTED_TOOL), hosted_type: z.string() });

export const tool = z.preprocess(
  (t) => (isObject(t) && typeof t.type === "string" && !TOOL_TYPES.has(t.type) ? { type: HOSTED_TOOL, hosted_type: t.type } : t),
  z.discriminatedUnion("type", [functionTool, customTool, namespaceTool, hostedTool]),
);

/** Functions in all, namespaces' included: each is a schema the engine renders into the prompt and a grammar. */
function limitFunctions(tools: readonly { type: string; tools?: readonly unknown[] }[], ctx: z.RefinementCtx): void {
  const count = tools.reduce((sum, t) => sum + (t.type === "namespace" ? t.tools?.length ?? 0 : 1), 0);
  if (count > LIMITS.tools.anthropic) ctx.addIssue({ code: "custom", message: `at most ${LIMITS.tools.anthropic} tools in all, namespaces included, on this server`, params: LIMIT_PARAMS });
}

/** Tools offered from this point of the conversation on (Codex sends its tools this way for its own models). */
const additionalTools = z.looseObject({
  type: z.literal("additional_tools"),
  id: z.string().nullish(),
  tools: boundedList(tool, LIMITS.tools.openai, "tools").superRefine(limitFunctions),
});
const itemReference = z.looseObject({ type: z.literal("item_reference"), id: z.string() });
const unsupportedItem = z.looseObject({ type: z.literal(UNSUPPORTED_ITEM), item_type: z.string() });

/** Fills in the type OpenAI lets clients leave out (messages, item references) and sets other types aside as unsupported. */
function normalizeItem(item: unknown): unknown {
  if (!isObject(item)) return item;
  if (item.type == null) return { ...item, type: item.role !== undefined ? "message" : "item_reference" };
  if (typeof item.type === "string" && !KNOWN_ITEMS.has(item.type)) return { ...item, type: UNSUPPORTED_ITEM, item_type: item.type };
  return item;
}

export const inputItem = z.preprocess(normalizeItem, z.discriminatedUnion("type", [
  message, functionCall, functionCallOutput, customToolCall, customToolCallOutput, reasoning, itemReference, additionalTools, unsupportedItem,
]));

const toolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), name: z.string() }),
  z.looseObject({ type: z.literal("custom"), name: z.string() }),
  z.looseObject({ type: z.literal("allowed_tools"), mode: z.enum(["auto", "required"]), tools: boundedList(z.looseObject({ type: z.string(), name: z.string().optional() }), LIMITS.tools.anthropic, "allowed tools") }),
  // A hosted tool (web_search, mcp, …): none of them is offered to the model.
  z.looseObject({ type: z.string() }),
]);

const nameField = z.string().regex(/^[\w-]{1,64}$/, { message: "must be 1 to 64 letters, digits, underscores or dashes" });
const textFormat = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    name: nameField,
    description: z.string().nullish(),
    schema: jsonSchemaField,
    strict: z.boolean().nullish(),
  }),
]);

export const responsesRequest = z.looseObject({
  model: modelField,
  input: z.union([z.string(), boundedList(inputItem, LIMITS.inputItems, "input items")]).optional(),
  instructions: z.string().nullish(),
  previous_response_id: z.string().nullish(),
  store: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  max_output_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  tools: boundedList(tool, LIMITS.tools.openai, "tools").superRefine(limitFunctions).nullish(),
  tool_choice: toolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z.looseObject({ format: textFormat.nullish(), verbosity: z.enum(["low", "medium", "high"]).nullish() }).nullish(),
  reasoning: z.looseObject({
    effort: z.enum(REASONING_EFFORTS).nullish(),
    summary: z.enum(["auto", "concise", "detailed"]).nullish(),
    generate_summary: z.enum(["auto", "concise", "detailed"]).nullish(),
  }).nullish(),
  include: z.array(z.string()).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  service_tier: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
  truncation: z.enum(["auto", "disabled"]).nullish(),
  client_metadata: z.record(z.string(), z.unknown()).nullish(),
  top_logprobs: z.number().int().min(0).max(MAX_TOP_LOGPROBS).nullish(),
  background: refused("background responses are not supported by this server; send the request without background", false),
  conversation: refused("conversations are not supported by this server; chain responses with previous_response_id", false),
  prompt: refused("stored prompt templates are not available on this server; send instructions and input instead", false),
});

export type ResponsesRequestBody = z.infer<typeof responsesRequest>;
export type InputItem = z.infer<typeof inputItem>;
export type ContentPart = z.infer<typeof contentPart>;
export type ToolBody = z.infer<typeof tool>;
