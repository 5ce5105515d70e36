// OpenAI chat completions request → canonical ChatRequest.
import { emptyChatRequest, type ChatMessage, type ChatRequest, type ContentPart, type TextPart } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { checkMaxTokens, type ParseOptions } from "../../validate.js";
import { thinkingForEffort } from "../reasoning-effort.js";
import { parseSampling } from "../sampling.js";
import type { ChatCompletionRequestBody, ChatMessageBody } from "./schema.js";

type TextContent = string | ReadonlyArray<{ type: "text"; text: string }>;

const textParts = (content: TextContent): TextPart[] =>
  typeof content === "string" ? [{ type: "text", text: content }] : content.map((p) => ({ type: "text", text: p.text }));

function parseArguments(json: string, param: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw new GatewayError("invalid_request", `${param} is not valid JSON.`, { param });
  }
}

function toMessage(message: Exclude<ChatMessageBody, { role: "system" | "developer" }>, index: number): ChatMessage {
  switch (message.role) {
    case "user": {
      if (typeof message.content === "string") return { role: "user", content: textParts(message.content) };
      const content = message.content.map((part, j): ContentPart => {
        if (part.type === "text") return { type: "text", text: part.text };
        if (part.type === "image_url") return { type: "image", url: part.image_url.url };
        throw new GatewayError("invalid_request", `Content of type '${part.type}' is not supported by this model.`, {
          param: `messages[${index}].content[${j}].type`,
        });
      });
      return { role: "user", content };
    }
    case "assistant": {
      const content: ContentPart[] = [];
      const reasoning = message.reasoning_content ?? message.reasoning;
      if (reasoning) content.push({ type: "thinking", text: reasoning });
      if (typeof message.content === "string") content.push({ type: "text", text: message.content });
      else for (const part of message.content ?? []) content.push({ type: "text", text: part.type === "text" ? part.text : part.refusal });
      (message.tool_calls ?? []).forEach((call, j) => {
        content.push({
          type: "tool_call",
          id: call.id,
          name: call.function.name,
          arguments: parseArguments(call.function.arguments, `messages[${index}].tool_calls[${j}].function.arguments`),
        });
      });
      return { role: "assistant", content };
    }
    case "tool":
      return { role: "tool", content: [{ type: "tool_result", toolCallId: message.tool_call_id, content: textParts(message.content) }] };
    default: {
      const never: never = message;
      throw new Error(`unknown role in ${JSON.stringify(never)}`);
    }
  }
}

function parseTools(body: ChatCompletionRequestBody, request: ChatRequest): void {
  request.tools = (body.tools ?? []).map(({ function: f }) => ({
    name: f.name,
    ...(f.description === undefined ? {} : { description: f.description }),
    parameters: f.parameters ?? { type: "object", properties: {} },
  }));
  const choice = body.tool_choice;
  if (choice != null) {
    request.toolChoice = typeof choice === "string"
      ? { type: choice }
      : { type: "tool", name: choice.function.name };
    if (request.tools.length === 0 && choice !== "none" && choice !== "auto") {
      throw new GatewayError("invalid_request", "tool_choice forces a tool call, but no tools were given.", { param: "tool_choice" });
    }
  }
  if (body.parallel_tool_calls === false) request.parallelToolCalls = false;
}

export function parseChatCompletionRequest(body: ChatCompletionRequestBody, options: ParseOptions): ChatRequest {
  const request = emptyChatRequest(body.model);
  body.messages.forEach((message, index) => {
    if (message.role === "system" || message.role === "developer") request.system.push(...textParts(message.content));
    else request.messages.push(toMessage(message, index));
  });
  if (request.messages.length === 0) {
    throw new GatewayError("invalid_request", "messages must contain at least one user or assistant message.", { param: "messages" });
  }

  const maxParam = body.max_completion_tokens != null ? "max_completion_tokens" : "max_tokens";
  const maxTokens = checkMaxTokens(body.max_completion_tokens ?? body.max_tokens ?? undefined, options, maxParam);
  request.sampling = parseSampling(body, maxTokens);
  if (body.top_logprobs != null && body.logprobs !== true) {
    throw new GatewayError("invalid_request", "top_logprobs needs logprobs set to true.", { param: "top_logprobs" });
  }
  if (body.logprobs === true) request.sampling.logprobs = { top: body.top_logprobs ?? 0 };
  parseTools(body, request);
  const format = body.response_format;
  if (format?.type === "json_object") request.responseFormat = { type: "json" };
  if (format?.type === "json_schema") {
    const { name, schema, strict } = format.json_schema;
    request.responseFormat = { type: "json_schema", name, schema: schema ?? {}, ...(strict == null ? {} : { strict }) };
  }
  if (body.prediction != null) request.warnings.push("prediction is a speed hint this server does not use.");
  if (body.verbosity != null) request.warnings.push("verbosity is not applied by this server.");
  if (body.store === true) request.warnings.push("store: completions are not stored by this server.");
  if (body.reasoning_effort != null) request.thinking = thinkingForEffort(body.reasoning_effort);
  if (body.metadata != null) request.metadata = { ...body.metadata };
  if (body.user !== undefined) request.metadata.user = body.user;
  return request;
}
