// Anthropic Messages request → canonical ChatRequest.
import { emptyChatRequest, type ChatMessage, type ChatRequest, type ContentPart, type TextPart } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { checkMaxTokens, type ParseOptions } from "../../validate.js";
import type { ContentBlockBody, MessageBody, MessagesBody } from "./schema.js";
import { withoutVolatileMarkers } from "./volatile-markers.js";

/** Request fields for server-side capabilities (hosted containers, MCP connectors) that a local model cannot offer. */
const REFUSED_FIELDS = ["container", "mcp_servers"] as const;

/** `output_config.effort` → a cap on thinking tokens; `high` and `max` leave it uncapped. */
const EFFORT_BUDGETS: Readonly<Record<string, number>> = { low: 1024, medium: 4096 };

const invalid = (param: string, message: string): GatewayError => new GatewayError("invalid_request", `${param}: ${message}`, { param });

function toPart(block: ContentBlockBody, param: string): ContentPart | undefined {
  switch (block.type) {
    case "text":
      // Anthropic refuses empty text blocks; clients (Claude Code among them) send them, and dropping one changes nothing.
      return block.text === "" ? undefined : { type: "text", text: block.text };
    case "image": {
      const { source } = block;
      return { type: "image", ...(source.media_type === undefined ? {} : { mediaType: source.media_type }), ...(source.data === undefined ? {} : { data: source.data }), ...(source.url === undefined ? {} : { url: source.url }) };
    }
    case "tool_use":
      return { type: "tool_call", id: block.id, name: block.name, arguments: block.input };
    case "tool_result": {
      const content: TextPart[] = [];
      const blocks = typeof block.content === "string" ? [{ type: "text" as const, text: block.content }] : block.content ?? [];
      blocks.forEach((inner, j) => {
        if (inner.type !== "text") throw invalid(`${param}.content[${j}]`, `'${inner.type}' blocks in tool results are not supported by this model; send the result as text.`);
        content.push({ type: "text", text: inner.text });
      });
      return { type: "tool_result", toolCallId: block.tool_use_id, content, ...(block.is_error === undefined ? {} : { isError: block.is_error }) };
    }
    case "thinking":
      return { type: "thinking", text: block.thinking, signature: block.signature };
    case "redacted_thinking":
      return undefined; // Encrypted by another provider: nothing a local model can read.
    default:
      throw invalid(`${param}.type`, `content blocks of type '${block.type}' are not supported by this server.`);
  }
}

function toParts(content: MessageBody["content"], param: string): ContentPart[] {
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  return content.flatMap((block, j) => toPart(block, `${param}[${j}]`) ?? []);
}

function parseMessages(body: MessagesBody, request: ChatRequest): void {
  const last = body.messages.length - 1;
  body.messages.forEach((message, i) => {
    const param = `messages[${i}].content`;
    const parts = toParts(message.content, param);
    if (parts.length === 0 && !(i === last && message.role === "assistant")) {
      throw invalid(param, "all messages must have non-empty content except for the optional final assistant message");
    }
    if (message.role === "system") {
      for (const part of parts) {
        if (part.type !== "text") throw invalid(param, "system messages may only hold text");
        request.system.push(part);
      }
      return;
    }
    if (message.role === "user" && parts.some((p) => p.type === "tool_call" || p.type === "thinking")) {
      throw invalid(param, "tool_use and thinking blocks belong in assistant messages");
    }
    if (message.role === "assistant" && parts.some((p) => p.type === "tool_result" || p.type === "image")) {
      throw invalid(param, "tool_result and image blocks belong in user messages");
    }
    // The API merges consecutive turns of the same role into one.
    const previous = request.messages.at(-1);
    if (previous?.role === message.role) previous.content.push(...parts);
    else request.messages.push({ role: message.role, content: parts } satisfies ChatMessage);
  });
  if (request.messages.length === 0) throw invalid("messages", "at least one user or assistant message is required");
}

function parseTools(body: MessagesBody, request: ChatRequest): void {
  request.tools = (body.tools ?? []).map((tool, j) => {
    if (tool.type !== undefined && tool.type !== "custom") {
      throw invalid(`tools[${j}].type`, `server tool '${tool.type}' is not available on this server; define it as a client tool with an input_schema.`);
    }
    if (tool.input_schema === undefined) throw invalid(`tools[${j}].input_schema`, "Field required");
    return { name: tool.name, ...(tool.description === undefined ? {} : { description: tool.description }), parameters: tool.input_schema };
  });
  const choice = body.tool_choice;
  if (choice === undefined) return;
  request.toolChoice = choice.type === "any" ? { type: "required" } : choice.type === "tool" ? { type: "tool", name: choice.name } : { type: choice.type };
  if (choice.type !== "none" && choice.disable_parallel_tool_use === true) request.parallelToolCalls = false;
  const forced = choice.type === "any" || choice.type === "tool";
  if (forced && request.tools.length === 0) throw invalid("tool_choice", `tool_choice '${choice.type}' needs tools, and none were given.`);
  if (forced && request.thinking?.enabled === true) {
    throw invalid("tool_choice", "Thinking may not be enabled when tool_choice forces tool use.");
  }
}

export function parseMessagesRequest(body: MessagesBody, options: ParseOptions): ChatRequest {
  const untyped = body as Record<string, unknown>;
  for (const field of REFUSED_FIELDS) {
    if (untyped[field] != null) throw invalid(field, "this server runs models locally and offers no server-side tools or containers.");
  }

  const request = emptyChatRequest(body.model);
  if (typeof body.system === "string") {
    if (body.system !== "") request.system.push({ type: "text", text: body.system });
  } else {
    for (const block of body.system ?? []) if (block.text !== "") request.system.push({ type: "text", text: block.text });
  }
  parseMessages(body, request);
  request.system = withoutVolatileMarkers(request.system);

  const maxTokens = checkMaxTokens(body.max_tokens, options, "max_tokens");
  (body.stop_sequences ?? []).forEach((stop, j) => {
    if (stop.trim() === "") throw invalid(`stop_sequences[${j}]`, "each stop sequence must contain non-whitespace");
  });
  request.sampling = {
    stop: body.stop_sequences ?? [],
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
    ...(body.top_p === undefined ? {} : { topP: body.top_p }),
    ...(body.top_k === undefined ? {} : { topK: body.top_k }),
  };

  if (body.thinking !== undefined) {
    if (body.thinking.type === "disabled") request.thinking = { enabled: false };
    // Adaptive: the model decides whether to think, as this server's models do when not told.
    else if (body.thinking.type === "adaptive") request.thinking = {};
    else {
      if (body.max_tokens !== undefined && body.max_tokens <= body.thinking.budget_tokens) {
        throw invalid("max_tokens", "max_tokens must be greater than thinking.budget_tokens");
      }
      request.thinking = { enabled: true, budgetTokens: body.thinking.budget_tokens };
    }
  }
  parseTools(body, request);
  const format = body.output_config?.format;
  if (format != null) request.responseFormat = { type: "json_schema", name: "output", schema: format.schema, strict: true };
  // Clearing old thinking or tool results the model never sees again changes nothing here: the chat template keeps
  // only the last turn's thinking, and a context that overflows is refused rather than silently trimmed.
  if (untyped.context_management != null) request.warnings.push("context_management is accepted and not applied: earlier turns are sent to the model as the request has them (none are cleared or edited here); their prefix is still reused from a slot or the prompt cache.");
  const effort = body.output_config?.effort;
  if (effort != null && request.thinking?.budgetTokens === undefined) {
    const budget = EFFORT_BUDGETS[effort];
    if (budget !== undefined) request.thinking = { ...request.thinking, budgetTokens: budget };
  }
  if (typeof body.metadata?.user_id === "string") request.metadata.user_id = body.metadata.user_id;
  return request;
}
