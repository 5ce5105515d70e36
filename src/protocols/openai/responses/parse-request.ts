// OpenAI Responses request → canonical ChatRequest. Items become messages in order: assistant-side items (messages,
// reasoning, calls) that follow one another form one assistant turn; each call output is a tool message.
import { emptyChatRequest, type ChatMessage, type ChatRequest, type ContentPart, type TextPart } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { checkMaxTokens, type ParseOptions } from "../../validate.js";
import { thinkingForEffort } from "../reasoning-effort.js";
import { parseSampling } from "../sampling.js";
import { decodeReasoning } from "./reasoning-blob.js";
import { resolveReferences } from "./resolve-references.js";
import type { ContentPart as WirePart, InputItem, ResponsesRequestBody } from "./schema.js";
import { CUSTOM_INPUT, flatName, parseTools, type ToolNames } from "./tools.js";

const OUTPUT_LOGPROBS = "message.output_text.logprobs";

export interface ResponsesParseOptions extends ParseOptions {
  /** Verifies the `encrypted_content` of reasoning items; blobs it did not sign are ignored. */
  reasoningKey: Uint8Array;
  /** The stored conversation this request continues (`previous_response_id`), oldest item first. */
  history?: readonly InputItem[];
  /** An item of the owner's stored responses by id: OpenAI resolves an item_reference across them (the AI SDK relies on it). */
  storedItem?(id: string): InputItem | undefined;
}

export interface ParsedResponsesRequest {
  request: ChatRequest;
  toolNames: ToolNames;
  /** This request's own input as items, in order. */
  input: InputItem[];
}

/** The input as items: a string is one user message. */
export function inputItems(body: Pick<ResponsesRequestBody, "input">): InputItem[] {
  if (body.input === undefined) return [];
  return typeof body.input === "string" ? [{ type: "message", role: "user", content: body.input }] : body.input;
}

function textOf(parts: readonly WirePart[], where: string, warnings: string[]): TextPart[] {
  return parts.flatMap((part): TextPart[] => {
    if (part.type === "input_text" || part.type === "output_text") return [{ type: "text", text: part.text }];
    if (part.type === "refusal") return [{ type: "text", text: part.refusal }];
    warnings.push(`${where}: ${part.type} content in a tool output was left out.`);
    return [];
  });
}

function userContent(content: string | readonly WirePart[], param: string): ContentPart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return content.map((part, j): ContentPart => {
    if (part.type === "input_text" || part.type === "output_text") return { type: "text", text: part.text };
    if (part.type === "refusal") return { type: "text", text: part.refusal };
    if (part.type === "input_image" && part.image_url != null) return { type: "image", url: part.image_url };
    throw new GatewayError("invalid_request", `Content of type '${part.type}'${part.type === "input_image" ? " by file_id" : ""} is not supported by this server.`, { param: `${param}.content[${j}]` });
  });
}

function parseArguments(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    // Kept as written: a history holding a malformed call must not make every later turn fail.
    return json;
  }
}

function reasoningText(item: Extract<InputItem, { type: "reasoning" }>, key: Uint8Array): string {
  const content = (item.content ?? []).map((c) => c.text).join("");
  if (content !== "") return content;
  const decoded = item.encrypted_content == null ? undefined : decodeReasoning(item.encrypted_content, key);
  if (decoded !== undefined) return decoded;
  return (item.summary ?? []).map((s) => s.text).join("\n\n");
}

function toMessages(items: readonly InputItem[], offset: number, request: ChatRequest, key: Uint8Array): void {
  const assistant = (): ChatMessage => {
    const last = request.messages.at(-1);
    if (last?.role === "assistant") return last;
    const message: ChatMessage = { role: "assistant", content: [] };
    request.messages.push(message);
    return message;
  };
  items.forEach((item, i) => {
    const param = `input[${i - offset}]`;
    switch (item.type) {
      case "message":
        if (item.role === "system" || item.role === "developer") request.system.push(...userContent(item.content, param).filter((p): p is TextPart => p.type === "text"));
        else if (item.role === "user") request.messages.push({ role: "user", content: userContent(item.content, param) });
        else assistant().content.push(...(typeof item.content === "string" ? [{ type: "text" as const, text: item.content }] : textOf(item.content, param, request.warnings)));
        break;
      case "function_call":
        assistant().content.push({ type: "tool_call", id: item.call_id, name: flatName(item.name, item.namespace), arguments: parseArguments(item.arguments) });
        break;
      case "custom_tool_call":
        assistant().content.push({ type: "tool_call", id: item.call_id, name: flatName(item.name, item.namespace), arguments: { [CUSTOM_INPUT]: item.input } });
        break;
      case "function_call_output":
      case "custom_tool_call_output": {
        const content = typeof item.output === "string" ? [{ type: "text" as const, text: item.output }] : textOf(item.output, param, request.warnings);
        request.messages.push({ role: "tool", content: [{ type: "tool_result", toolCallId: item.call_id, content }] });
        break;
      }
      case "reasoning": {
        const text = reasoningText(item, key);
        if (text !== "") assistant().content.push({ type: "thinking", text });
        break;
      }
      case "item_reference":
      case "additional_tools": // offered with the request's tools (parseTools)
        break;
      case "unsupported":
        request.warnings.push(`${param}: a ${item.item_type} item has no place in what this server's models see and was left out.`);
        break;
      default: {
        const never: never = item;
        throw new Error(`unknown item ${JSON.stringify(never)}`);
      }
    }
  });
}

export function parseResponsesRequest(body: ResponsesRequestBody, options: ResponsesParseOptions): ParsedResponsesRequest {
  const request = emptyChatRequest(body.model);
  const input = inputItems(body);
  const history = options.history ?? [];
  if (body.instructions != null && body.instructions !== "") request.system.push({ type: "text", text: body.instructions });
  const items = resolveReferences([...history, ...input], request.warnings, options.storedItem);
  toMessages(items, history.length, request, options.reasoningKey);
  if (request.messages.length === 0) {
    throw new GatewayError("invalid_request", "input must contain at least one user, assistant or tool item.", { param: "input" });
  }

  const maxTokens = checkMaxTokens(body.max_output_tokens ?? undefined, options, "max_output_tokens");
  request.sampling = parseSampling(body, maxTokens);
  const toolNames = parseTools(body, items.flatMap((item) => (item.type === "additional_tools" ? item.tools : [])), request);
  const format = body.text?.format;
  if (format?.type === "json_object") request.responseFormat = { type: "json" };
  if (format?.type === "json_schema") {
    request.responseFormat = { type: "json_schema", name: format.name, schema: format.schema, ...(format.strict == null ? {} : { strict: format.strict }) };
  }
  if (body.reasoning?.effort != null) request.thinking = thinkingForEffort(body.reasoning.effort);
  if ((body.reasoning?.summary ?? body.reasoning?.generate_summary) != null) {
    request.warnings.push("reasoning.summary: no summaries are written; the reasoning comes in full as reasoning_text.");
  }
  if (body.text?.verbosity != null) request.warnings.push("text.verbosity is not applied by this server.");
  if (body.truncation === "auto") request.warnings.push("truncation: earlier items are never dropped; a conversation longer than the context fails.");
  for (const field of body.include ?? []) {
    if (field !== "reasoning.encrypted_content" && field !== OUTPUT_LOGPROBS) request.warnings.push(`include: ${field} is not available on this server.`);
  }
  // OpenAI gives output_text parts their logprobs when asked by include, with top_logprobs alternatives each.
  if ((body.include ?? []).includes(OUTPUT_LOGPROBS) || (body.top_logprobs ?? 0) > 0) request.sampling.logprobs = { top: body.top_logprobs ?? 0 };
  if (body.metadata != null) request.metadata = { ...body.metadata };
  if (body.user != null) request.metadata.user = body.user;
  if (body.prompt_cache_key != null) request.promptCacheKey = body.prompt_cache_key;
  return { request, toolNames, input };
}
