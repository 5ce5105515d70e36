// Canonical ChatRequest → an OpenAI Responses request (the client side of this wire, for upstream engines). Only
// what OpenAI's Responses API accepts is sent: it refuses unknown parameters, so top_k, seed, stop and penalties stay
// behind; thinking from earlier turns stays behind too, as OpenAI takes back only reasoning items it issued.
import type { ResponseCreateParamsStreaming, ResponseInputItem } from "openai/resources/responses/responses";
import { joinText, type ChatMessage, type ChatRequest } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { effortForThinking } from "../reasoning-effort.js";

function toItems(message: ChatMessage): ResponseInputItem[] {
  return message.content.flatMap((part): ResponseInputItem[] => {
    switch (part.type) {
      case "text":
        return [message.role === "assistant"
          ? { type: "message", role: "assistant", content: part.text }
          : { type: "message", role: "user", content: [{ type: "input_text", text: part.text }] }];
      case "image":
        return [{ type: "message", role: "user", content: [{ type: "input_image", detail: "auto", image_url: part.url ?? `data:${part.mediaType ?? "image/png"};base64,${part.data ?? ""}` }] }];
      case "tool_call":
        return [{ type: "function_call", call_id: part.id, name: part.name, arguments: typeof part.arguments === "string" ? part.arguments : JSON.stringify(part.arguments ?? {}) }];
      case "tool_result":
        return [{ type: "function_call_output", call_id: part.toolCallId, output: (part.isError === true ? "Error: " : "") + joinText(part.content) }];
      case "thinking":
        return [];
      default: {
        const never: never = part;
        throw new Error(`unknown part ${JSON.stringify(never)}`);
      }
    }
  });
}

/** The request for model `upstreamModel`, always streamed and never stored upstream (non-streaming answers are folded from it). */
export function buildResponsesRequest(request: ChatRequest, upstreamModel: string): ResponseCreateParamsStreaming {
  if (request.prompt !== undefined) throw new GatewayError("invalid_request", "Raw-prompt completions are not available for this upstream model.", { param: "prompt" });
  const { sampling, toolChoice, responseFormat } = request;
  return {
    model: upstreamModel,
    ...(request.system.length === 0 ? {} : { instructions: joinText(request.system) }),
    input: request.messages.flatMap(toItems),
    stream: true,
    store: false,
    ...(sampling.maxTokens === undefined ? {} : { max_output_tokens: sampling.maxTokens }),
    ...(sampling.temperature === undefined ? {} : { temperature: sampling.temperature }),
    ...(sampling.topP === undefined ? {} : { top_p: sampling.topP }),
    ...(request.tools.length === 0 ? {} : {
      tools: request.tools.map((t) => ({ type: "function" as const, name: t.name, ...(t.description === undefined ? {} : { description: t.description }), parameters: t.parameters, strict: false })),
      tool_choice: toolChoice.type === "tool" ? { type: "function" as const, name: toolChoice.name } : toolChoice.type,
      ...(request.parallelToolCalls ? {} : { parallel_tool_calls: false }),
    }),
    ...(responseFormat.type === "json" ? { text: { format: { type: "json_object" as const } } } : {}),
    ...(responseFormat.type === "json_schema"
      ? { text: { format: { type: "json_schema" as const, name: responseFormat.name, schema: responseFormat.schema, ...(responseFormat.strict === undefined ? {} : { strict: responseFormat.strict }) } } }
      : {}),
    ...(request.thinking === undefined ? {} : { reasoning: { effort: effortForThinking(request.thinking) } }),
    ...(request.promptCacheKey === undefined ? {} : { prompt_cache_key: request.promptCacheKey }),
  };
}
