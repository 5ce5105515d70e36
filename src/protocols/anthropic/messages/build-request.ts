// Canonical ChatRequest → an Anthropic Messages request (the client side of this wire, for upstream engines).
import type { ContentBlockParam, MessageCreateParamsStreaming, MessageParam } from "@anthropic-ai/sdk/resources/messages";
import { joinText, type ChatMessage, type ChatRequest } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";

/** What Messages requires and a canonical request may leave open. */
const DEFAULT_MAX_TOKENS = 4096;
/** The API's smallest thinking budget. */
const MIN_THINKING_BUDGET = 1024;

function toBlocks(message: ChatMessage): ContentBlockParam[] {
  return message.content.flatMap((part): ContentBlockParam[] => {
    switch (part.type) {
      case "text":
        return part.text === "" ? [] : [{ type: "text", text: part.text }];
      case "image":
        return [part.url !== undefined
          ? { type: "image", source: { type: "url", url: part.url } }
          : { type: "image", source: { type: "base64", media_type: (part.mediaType ?? "image/png") as "image/png", data: part.data ?? "" } }];
      case "thinking":
        return [{ type: "thinking", thinking: part.text, signature: part.signature ?? "" }];
      case "tool_call":
        return [{ type: "tool_use", id: part.id, name: part.name, input: part.arguments ?? {} }];
      case "tool_result":
        return [{ type: "tool_result", tool_use_id: part.toolCallId, content: joinText(part.content), ...(part.isError === undefined ? {} : { is_error: part.isError }) }];
      default: {
        const never: never = part;
        throw new Error(`unknown part ${JSON.stringify(never)}`);
      }
    }
  });
}

/** Turns in Anthropic's two roles (tool results travel in user turns), consecutive turns of one role merged. */
function toMessages(messages: readonly ChatMessage[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (const message of messages) {
    const role = message.role === "assistant" ? "assistant" : "user";
    const blocks = toBlocks(message);
    const previous = out.at(-1);
    if (previous?.role === role && Array.isArray(previous.content)) previous.content.push(...blocks);
    else out.push({ role, content: blocks });
  }
  return out;
}

function refuse(param: string, what: string): never {
  throw new GatewayError("invalid_request", `${what} is not available for this model: its upstream speaks the Anthropic API, which has no equivalent.`, { param });
}

/** The request for model `upstreamModel`, always streamed (non-streaming answers are folded from it). */
export function buildMessagesRequest(request: ChatRequest, upstreamModel: string): MessageCreateParamsStreaming {
  if (request.prompt !== undefined) refuse("prompt", "Raw-prompt completion");
  const { sampling, toolChoice, responseFormat, thinking } = request;
  if (sampling.seed !== undefined) refuse("seed", "seed");
  if (sampling.presencePenalty !== undefined) refuse("presence_penalty", "presence_penalty");
  if (sampling.frequencyPenalty !== undefined) refuse("frequency_penalty", "frequency_penalty");
  if (sampling.logitBias !== undefined) refuse("logit_bias", "logit_bias");
  if (sampling.minP !== undefined) refuse("min_p", "min_p");
  if (sampling.repeatPenalty !== undefined) refuse("repeat_penalty", "repeat_penalty");
  if (responseFormat.type === "json") refuse("response_format", "response_format json_object (use json_schema)");
  return {
    model: upstreamModel,
    max_tokens: sampling.maxTokens ?? DEFAULT_MAX_TOKENS,
    stream: true,
    messages: toMessages(request.messages),
    ...(request.system.length === 0 ? {} : { system: joinText(request.system) }),
    ...(sampling.temperature === undefined ? {} : { temperature: Math.min(1, sampling.temperature) }),
    ...(sampling.topP === undefined ? {} : { top_p: sampling.topP }),
    ...(sampling.topK === undefined ? {} : { top_k: sampling.topK }),
    ...(sampling.stop.length === 0 ? {} : { stop_sequences: sampling.stop }),
    ...(request.tools.length === 0 ? {} : {
      tools: request.tools.map((t) => ({ name: t.name, ...(t.description === undefined ? {} : { description: t.description }), input_schema: t.parameters as { type: "object" } })),
      tool_choice: toolChoice.type === "none" ? { type: "none" }
        : toolChoice.type === "tool" ? { type: "tool", name: toolChoice.name, ...(request.parallelToolCalls ? {} : { disable_parallel_tool_use: true }) }
        : { type: toolChoice.type === "required" ? "any" : "auto", ...(request.parallelToolCalls ? {} : { disable_parallel_tool_use: true }) },
    }),
    ...(responseFormat.type === "json_schema" ? { output_config: { format: { type: "json_schema", schema: responseFormat.schema } } } : {}),
    ...(thinking?.enabled === undefined ? {} : {
      thinking: thinking.enabled
        ? { type: "enabled", budget_tokens: Math.max(MIN_THINKING_BUDGET, thinking.budgetTokens ?? MIN_THINKING_BUDGET) }
        : { type: "disabled" },
    }),
  };
}
