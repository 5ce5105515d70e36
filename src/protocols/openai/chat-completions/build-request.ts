// Canonical ChatRequest → an OpenAI chat-completions request (the client side of this wire, for upstream engines).
import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { joinText, type ChatMessage, type ChatRequest } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { effortForThinking } from "../reasoning-effort.js";

function toMessages(message: ChatMessage): ChatCompletionMessageParam[] {
  if (message.role === "assistant") {
    const text = message.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
    const reasoning = message.content.flatMap((p) => (p.type === "thinking" ? [p.text] : [])).join("");
    const calls = message.content.flatMap((p) => (p.type === "tool_call"
      ? [{ id: p.id, type: "function" as const, function: { name: p.name, arguments: JSON.stringify(p.arguments ?? {}) } }]
      : []));
    return [{
      role: "assistant",
      content: text === "" && calls.length > 0 ? null : text,
      ...(calls.length === 0 ? {} : { tool_calls: calls }),
      ...(reasoning === "" ? {} : { reasoning_content: reasoning }),
    } as ChatCompletionMessageParam];
  }
  const results: ChatCompletionMessageParam[] = message.content.flatMap((p) => (p.type === "tool_result"
    ? [{ role: "tool" as const, tool_call_id: p.toolCallId, content: (p.isError === true ? "Error: " : "") + joinText(p.content) }]
    : []));
  type Part = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };
  const parts = message.content.flatMap((p): Part[] => {
    if (p.type === "text") return [{ type: "text", text: p.text }];
    if (p.type === "image") return [{ type: "image_url", image_url: { url: p.url ?? `data:${p.mediaType ?? "image/png"};base64,${p.data ?? ""}` } }];
    return [];
  });
  if (parts.length === 0) return results;
  const content = parts.every((p) => p.type === "text") ? parts.map((p) => (p.type === "text" ? p.text : "")).join("\n") : parts;
  return [...results, { role: "user", content } as ChatCompletionMessageParam];
}

/** The request for model `upstreamModel`, always streamed with usage (non-streaming answers are folded from it). */
/** llama-server's repeat_last_n: -1 is the whole context, the nearest it has to the whole reply. */
const repeatLastN = (lastTokens: number | undefined) => (lastTokens === undefined ? {} : { repeat_last_n: Number.isFinite(lastTokens) ? lastTokens : -1 });

export function buildChatCompletionRequest(request: ChatRequest, upstreamModel: string): ChatCompletionCreateParamsStreaming & Record<string, unknown> {
  if (request.prompt !== undefined) throw new GatewayError("invalid_request", "Raw-prompt completions are not available for this upstream model.", { param: "prompt" });
  const { sampling } = request;
  const choice = request.toolChoice;
  return {
    model: upstreamModel,
    messages: [
      ...(request.system.length === 0 ? [] : [{ role: "system" as const, content: joinText(request.system) }]),
      ...request.messages.flatMap(toMessages),
    ],
    stream: true,
    stream_options: { include_usage: true },
    ...(sampling.maxTokens === undefined ? {} : { max_tokens: sampling.maxTokens }),
    ...(sampling.temperature === undefined ? {} : { temperature: sampling.temperature }),
    ...(sampling.topP === undefined ? {} : { top_p: sampling.topP }),
    ...(sampling.topK === undefined ? {} : { top_k: sampling.topK }),
    // llama-server's names, which vLLM reads too for min_p.
    ...(sampling.minP === undefined ? {} : { min_p: sampling.minP }),
    ...(sampling.repeatPenalty === undefined ? {} : { repeat_penalty: sampling.repeatPenalty.penalty, ...repeatLastN(sampling.repeatPenalty.lastTokens) }),
    ...(sampling.seed === undefined ? {} : { seed: sampling.seed }),
    ...(sampling.stop.length === 0 ? {} : { stop: sampling.stop }),
    ...(sampling.presencePenalty === undefined ? {} : { presence_penalty: sampling.presencePenalty }),
    ...(sampling.frequencyPenalty === undefined ? {} : { frequency_penalty: sampling.frequencyPenalty }),
    ...(sampling.logitBias === undefined ? {} : { logit_bias: Object.fromEntries(Object.entries(sampling.logitBias)) }),
    ...(request.tools.length === 0 ? {} : {
      tools: request.tools.map((t) => ({ type: "function" as const, function: { name: t.name, ...(t.description === undefined ? {} : { description: t.description }), parameters: t.parameters } })),
      tool_choice: choice.type === "tool" ? { type: "function" as const, function: { name: choice.name } } : choice.type,
      ...(request.parallelToolCalls ? {} : { parallel_tool_calls: false }),
    }),
    ...(request.responseFormat.type === "json" ? { response_format: { type: "json_object" as const } } : {}),
    ...(request.responseFormat.type === "json_schema"
      ? { response_format: { type: "json_schema" as const, json_schema: { name: request.responseFormat.name, schema: request.responseFormat.schema, ...(request.responseFormat.strict === undefined ? {} : { strict: request.responseFormat.strict }) } } }
      : {}),
    ...(request.thinking === undefined ? {} : { reasoning_effort: effortForThinking(request.thinking) }),
  };
}
