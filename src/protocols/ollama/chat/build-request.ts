// Canonical ChatRequest → an Ollama /api/chat request (the client side of this wire, for upstream engines).
import type { ChatRequest as OllamaChatRequest, Options } from "ollama";
import { joinText, type ChatMessage, type ChatRequest, type ImagePart, type TextPart } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import type { OllamaMessage } from "../wire.js";

export type OllamaChatBody = Omit<OllamaChatRequest, "messages" | "think" | "options"> & {
  messages: OllamaMessage[];
  stream: true;
  think?: boolean;
  options?: Partial<Options>;
};

const refuse = (param: string, what: string): never => {
  throw new GatewayError("invalid_request", `${what} is not available for this upstream model: Ollama's API has no way to ask for it.`, { param });
};

/** Ollama takes images as bare base64. */
function imageData(part: ImagePart): string {
  if (part.data !== undefined) return part.data;
  const url = part.url ?? "";
  const comma = url.indexOf(",");
  if (url.startsWith("data:") && comma !== -1) return url.slice(comma + 1);
  return refuse("messages", "An image given by URL (send it as base64 data)");
}

const text = (parts: readonly TextPart[]): string => parts.map((p) => p.text).join("");

function toMessages(message: ChatMessage, toolNames: Map<string, string>): OllamaMessage[] {
  if (message.role === "assistant") {
    const calls = message.content.flatMap((p) => (p.type === "tool_call" ? [p] : []));
    for (const call of calls) toolNames.set(call.id, call.name);
    const thinking = message.content.flatMap((p) => (p.type === "thinking" ? [p.text] : [])).join("");
    return [{
      role: "assistant",
      content: text(message.content.flatMap((p) => (p.type === "text" ? [p] : []))),
      ...(thinking === "" ? {} : { thinking }),
      ...(calls.length === 0 ? {} : {
        tool_calls: calls.map((call) => ({
          id: call.id,
          function: { name: call.name, arguments: (typeof call.arguments === "object" && call.arguments !== null ? call.arguments : {}) as Record<string, unknown> },
        })),
      }),
    }];
  }
  // Tool results (which Anthropic's clients put in user turns) go first, each its own tool message, then the rest.
  const results: OllamaMessage[] = message.content.flatMap((p) => {
    if (p.type !== "tool_result") return [];
    const name = toolNames.get(p.toolCallId);
    return [{ role: "tool", content: (p.isError === true ? "Error: " : "") + joinText(p.content), ...(name === undefined ? {} : { tool_name: name }), tool_call_id: p.toolCallId }];
  });
  const texts = message.content.flatMap((p) => (p.type === "text" ? [p] : []));
  const images = message.content.flatMap((p) => (p.type === "image" ? [imageData(p)] : []));
  if (texts.length === 0 && images.length === 0) return results;
  return [...results, { role: "user", content: joinText(texts), ...(images.length === 0 ? {} : { images }) }];
}

function options(request: ChatRequest): Partial<Options> | undefined {
  const { sampling } = request;
  if (sampling.logitBias !== undefined) refuse("logit_bias", "logit_bias");
  const chosen: Partial<Options> = {
    ...(sampling.maxTokens === undefined ? {} : { num_predict: sampling.maxTokens }),
    ...(sampling.temperature === undefined ? {} : { temperature: sampling.temperature }),
    ...(sampling.topP === undefined ? {} : { top_p: sampling.topP }),
    ...(sampling.topK === undefined ? {} : { top_k: sampling.topK }),
    ...(sampling.seed === undefined ? {} : { seed: sampling.seed }),
    ...(sampling.stop.length === 0 ? {} : { stop: sampling.stop }),
    ...(sampling.presencePenalty === undefined ? {} : { presence_penalty: sampling.presencePenalty }),
    ...(sampling.frequencyPenalty === undefined ? {} : { frequency_penalty: sampling.frequencyPenalty }),
    ...(sampling.minP === undefined ? {} : { min_p: sampling.minP }),
    ...(sampling.repeatPenalty === undefined ? {} : {
      repeat_penalty: sampling.repeatPenalty.penalty,
      ...(sampling.repeatPenalty.lastTokens === undefined ? {} : { repeat_last_n: Number.isFinite(sampling.repeatPenalty.lastTokens) ? sampling.repeatPenalty.lastTokens : -1 }),
    }),
  };
  return Object.keys(chosen).length === 0 ? undefined : chosen;
}

/** The request for model `upstreamModel`, always streamed (non-streaming answers are folded from it). */
export function buildOllamaChatRequest(request: ChatRequest, upstreamModel: string): OllamaChatBody {
  if (request.prompt !== undefined) refuse("prompt", "Raw-prompt completion");
  const { toolChoice, responseFormat, thinking } = request;
  if (toolChoice.type === "required" || toolChoice.type === "tool") refuse("tool_choice", "Forcing a tool call");
  const toolNames = new Map<string, string>();
  const sampling = options(request);
  return {
    model: upstreamModel,
    messages: [
      ...(request.system.length === 0 ? [] : [{ role: "system", content: joinText(request.system) }]),
      ...request.messages.flatMap((message) => toMessages(message, toolNames)),
    ],
    stream: true,
    ...(request.tools.length === 0 || toolChoice.type === "none" ? {} : {
      tools: request.tools.map((t) => ({ type: "function", function: { name: t.name, ...(t.description === undefined ? {} : { description: t.description }), parameters: t.parameters } })),
    }),
    ...(responseFormat.type === "json" ? { format: "json" } : responseFormat.type === "json_schema" ? { format: responseFormat.schema } : {}),
    ...(sampling === undefined ? {} : { options: sampling }),
    // Levels are honoured by few models; every thinking model understands on and off. A budget has no field.
    ...(thinking?.enabled === undefined ? {} : { think: thinking.enabled }),
    ...(request.sampling.logprobs === undefined ? {} : { logprobs: true, top_logprobs: request.sampling.logprobs.top }),
  };
}
