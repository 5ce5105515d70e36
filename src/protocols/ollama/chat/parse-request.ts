// Ollama /api/chat request → canonical ChatRequest.
import { emptyChatRequest, type ChatRequest, type ContentPart } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { quoted } from "../../../core/quoted.js";
import type { ParseOptions } from "../../validate.js";
import { applyGenerationFields } from "../generation-fields.js";
import { imageParts } from "../images.js";
import type { ChatBody, ChatMessageBody } from "./schema.js";
import { PendingToolCalls, positionalCallId } from "./tool-call-matching.js";

const invalid = (param: string, message: string): GatewayError => new GatewayError("invalid_request", `${param}: ${message}`, { param });

function assistantParts(message: ChatMessageBody, index: number, pending: PendingToolCalls): ContentPart[] {
  const parts: ContentPart[] = [];
  if (message.thinking) parts.push({ type: "thinking", text: message.thinking });
  if (message.content) parts.push({ type: "text", text: message.content });
  (message.tool_calls ?? []).forEach((call, j) => {
    const id = call.id || positionalCallId(index, j);
    pending.add(id, call.function.name);
    parts.push({ type: "tool_call", id, name: call.function.name, arguments: call.function.arguments ?? {} });
  });
  return parts.length === 0 ? [{ type: "text", text: "" }] : parts;
}

export function parseChatRequest(body: ChatBody, options: ParseOptions): ChatRequest {
  const request = emptyChatRequest(body.model);
  const pending = new PendingToolCalls();
  (body.messages ?? []).forEach((message, i) => {
    const param = `messages[${i}]`;
    const content = message.content ?? "";
    const images = message.images ?? [];
    if (images.length > 0 && message.role !== "user") throw invalid(`${param}.images`, "images belong in user messages.");
    switch (message.role) {
      case "system":
        if (content !== "") request.system.push({ type: "text", text: content });
        break;
      case "user":
        request.messages.push({ role: "user", content: [{ type: "text", text: content }, ...imageParts(images)] });
        break;
      case "assistant":
        request.messages.push({ role: "assistant", content: assistantParts(message, i, pending) });
        break;
      case "tool": {
        const toolName = message.tool_name ?? undefined;
        const id = pending.answer(message.tool_call_id ?? undefined, toolName);
        if (id === undefined) {
          throw invalid(param, `this tool message${toolName === undefined ? "" : ` (tool_name '${quoted(toolName)}')`} answers no tool call of an earlier assistant message.`);
        }
        request.messages.push({ role: "tool", content: [{ type: "tool_result", toolCallId: id, content: [{ type: "text", text: content }] }] });
        break;
      }
      default: {
        const never: never = message.role;
        throw new Error(`unknown role ${String(never)}`);
      }
    }
  });
  if (request.messages.length === 0) throw invalid("messages", "at least one user, assistant or tool message is required.");
  request.tools = (body.tools ?? []).map(({ function: f }) => ({
    name: f.name,
    ...(f.description == null ? {} : { description: f.description }),
    parameters: f.parameters ?? { type: "object", properties: {} },
  }));
  const choice = body.tool_choice;
  if (typeof choice === "object" && choice !== null) {
    if (!request.tools.some((t) => t.name === choice.function.name)) throw invalid("tool_choice", `names '${quoted(choice.function.name)}', which is not among the tools.`);
    request.toolChoice = { type: "tool", name: choice.function.name };
  } else if (choice != null) {
    if (choice === "required" && request.tools.length === 0) throw invalid("tool_choice", "required with no tools.");
    request.toolChoice = { type: choice };
  }
  applyGenerationFields(body, request, options);
  return request;
}
