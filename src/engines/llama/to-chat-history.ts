// Canonical messages → node-llama-cpp chat history, which its chat wrapper renders in the model's own format.
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from "node-llama-cpp";
import { joinText, type ChatRequest, type ContentPart, type TextPart } from "../../core/chat-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { REQUEST_PARAMS } from "../../core/request-param.js";

function rejectImages(parts: readonly ContentPart[], index: number): void {
  if (parts.some((p) => p.type === "image")) {
    throw new GatewayError("invalid_request", "This model does not accept images: remove the image content.", {
      param: `${REQUEST_PARAMS.messages}[${index}].content`,
    });
  }
}

/**
 * Builds the history to generate from. It ends with a model response: an empty one to answer the last user turn,
 * or the client's own partial assistant turn, which the model then continues.
 */
export function toChatHistory(request: ChatRequest): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  if (request.system.length > 0) history.push({ type: "system", text: joinText(request.system) });
  const pendingCalls = new Map<string, ChatModelFunctionCall>();

  request.messages.forEach((message, index) => {
    rejectImages(message.content, index);
    if (message.role === "assistant") {
      const response: ChatModelResponse["response"] = [];
      for (const part of message.content) {
        if (part.type === "text") response.push(part.text);
        else if (part.type === "thinking") response.push({ type: "segment", segmentType: "thought", text: part.text, ended: true });
        else if (part.type === "tool_call") {
          const call: ChatModelFunctionCall = { type: "functionCall", name: part.name, params: part.arguments, result: "" };
          pendingCalls.set(part.id, call);
          response.push(call);
        }
      }
      history.push({ type: "model", response });
      return;
    }
    const texts: TextPart[] = [];
    for (const part of message.content) {
      if (part.type === "text") texts.push(part);
      else if (part.type === "tool_result") {
        const call = pendingCalls.get(part.toolCallId);
        if (call === undefined) {
          throw new GatewayError("invalid_request", `A tool result refers to '${part.toolCallId}', which no earlier assistant turn called.`, {
            param: `${REQUEST_PARAMS.messages}[${index}]`,
          });
        }
        call.result = (part.isError === true ? "Error: " : "") + joinText(part.content);
        pendingCalls.delete(part.toolCallId);
      }
    }
    if (texts.length > 0) history.push({ type: "user", text: joinText(texts) });
  });

  if (history.at(-1)?.type !== "model") history.push({ type: "model", response: [] });
  return history;
}
