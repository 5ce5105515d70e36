// Canonical events of one or several choices → OpenAI chat.completion.chunk SSE frames, ending with `data: [DONE]`.
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import type { ChatEvent, Usage } from "../../../core/chat-event.js";
import { toGatewayError } from "../../../core/gateway-error.js";
import { vendorToolId } from "../../../core/ids.js";
import type { Indexed } from "../../../core/merge-streams.js";
import { sseFrame, sseRawFrame } from "../../../core/sse.js";
import { openaiError } from "../errors.js";
import { renderTokenLogprobs } from "../logprobs.js";
import { renderUsage } from "../usage.js";
import { finishReason, type ReasoningFields, type ResponseIdentity } from "./render-response.js";

type Delta = ChatCompletionChunk.Choice.Delta & ReasoningFields;

export interface StreamOptions extends ResponseIdentity {
  includeUsage: boolean;
  /** How many choices the events carry (OpenAI's `n`). */
  choices: number;
}

export async function* renderChatCompletionStream(events: AsyncIterable<Indexed<ChatEvent>>, options: StreamOptions): AsyncGenerator<string> {
  const chunk = (choices: ChatCompletionChunk["choices"], usage?: ChatCompletionChunk["usage"]): string => {
    const body: ChatCompletionChunk = {
      id: options.id,
      object: "chat.completion.chunk",
      created: options.created,
      model: options.model,
      system_fingerprint: options.systemFingerprint,
      choices,
      ...(options.includeUsage ? { usage: usage ?? null } : {}),
    };
    return sseFrame(body);
  };
  const delta = (index: number, d: Delta, finish: ChatCompletionChunk.Choice["finish_reason"] = null, logprobs: ChatCompletionChunk.Choice["logprobs"] = null): string =>
    chunk([{ index, delta: d, logprobs, finish_reason: finish }]);

  // Per choice, tool-call blocks are numbered among themselves, as OpenAI's delta.tool_calls[].index is.
  const toolIndexes = new Map<number, Map<number, number>>();
  const usages: Usage[] = [];
  let ended = 0;
  try {
    for await (const { index: choice, value: event } of events) {
      const toolIndex = toolIndexes.get(choice) ?? new Map<number, number>();
      toolIndexes.set(choice, toolIndex);
      switch (event.type) {
        case "start":
          yield delta(choice, { role: "assistant", content: "" });
          break;
        case "block_start":
          if (event.kind === "tool_call") {
            toolIndex.set(event.index, toolIndex.size);
            yield delta(choice, { tool_calls: [{ index: toolIndex.size - 1, id: vendorToolId("call_", event.toolCallId), type: "function", function: { name: event.name, arguments: "" } }] });
          }
          break;
        case "text_delta":
          yield delta(choice, { content: event.text }, null, event.logprobs === undefined ? null : { content: renderTokenLogprobs(event.logprobs), refusal: null });
          break;
        case "thinking_delta":
          yield delta(choice, { reasoning_content: event.text, reasoning: event.text });
          break;
        case "tool_args_delta":
          yield delta(choice, { tool_calls: [{ index: toolIndex.get(event.index) ?? 0, function: { arguments: event.json } }] });
          break;
        case "block_end":
          break;
        case "end":
          yield delta(choice, {}, finishReason(event.stopReason));
          usages[choice] = event.usage;
          if (++ended < options.choices) break;
          if (options.includeUsage) yield chunk([], renderUsage(usages));
          yield sseRawFrame("[DONE]");
          return;
        case "error":
          yield sseFrame(openaiError(event.error).body);
          return;
        default: {
          const never: never = event;
          throw new Error(`unknown event ${JSON.stringify(never)}`);
        }
      }
    }
  } catch (error) {
    yield sseFrame(openaiError(toGatewayError(error)).body);
  }
}
