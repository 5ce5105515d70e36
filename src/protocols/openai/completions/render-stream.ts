// Canonical events of one or several choices → OpenAI text_completion SSE chunks, ending with `data: [DONE]`.
import type { Completion, CompletionChoice } from "openai/resources/completions";
import type { ChatEvent, Usage } from "../../../core/chat-event.js";
import { toGatewayError } from "../../../core/gateway-error.js";
import type { Indexed } from "../../../core/merge-streams.js";
import { sseFrame, sseRawFrame } from "../../../core/sse.js";
import type { ResponseIdentity } from "../chat-completions/render-response.js";
import { openaiError } from "../errors.js";
import { renderLegacyLogprobs } from "../logprobs.js";
import { renderUsage } from "../usage.js";
import { completionFinishReason, type CompletionShape } from "./render-response.js";

/** Streamed choices carry a null finish_reason until their last chunk. */
type StreamChoice = Omit<CompletionChoice, "finish_reason"> & { finish_reason: CompletionChoice["finish_reason"] | null };

export interface CompletionStreamOptions extends ResponseIdentity, CompletionShape {
  includeUsage: boolean;
}

export async function* renderCompletionStream(events: AsyncIterable<Indexed<ChatEvent>>, options: CompletionStreamOptions): AsyncGenerator<string> {
  const chunk = (choices: StreamChoice[], usage?: Completion["usage"]): string => sseFrame({
    id: options.id,
    object: "text_completion",
    created: options.created,
    model: options.model,
    system_fingerprint: options.systemFingerprint,
    choices,
    ...(options.includeUsage ? { usage: usage ?? null } : {}),
  });
  const text = (index: number, value: string, finish: "stop" | "length" | null = null, logprobs: CompletionChoice.Logprobs | null = null): string =>
    chunk([{ index, text: value, logprobs, finish_reason: finish }]);
  /** Per choice, where its next chunk's text starts, for the logprobs' text_offset. */
  const offsets: number[] = [];

  const usages: Usage[] = [];
  let ended = 0;
  try {
    for await (const { index, value: event } of events) {
      switch (event.type) {
        case "start": {
          const echoed = options.echoed[index];
          if (echoed !== undefined && echoed !== "") yield text(index, echoed);
          break;
        }
        case "text_delta": {
          const offset = offsets[index] ?? 0;
          offsets[index] = offset + event.text.length;
          yield text(index, event.text, null, options.logprobs ? renderLegacyLogprobs(event.logprobs ?? [], offset) : null);
          break;
        }
        case "end":
          yield text(index, "", completionFinishReason(event));
          usages[index] = event.usage;
          if (++ended < options.echoed.length) break;
          if (options.includeUsage) yield chunk([], renderUsage(usages, options.choicesPerPrompt));
          yield sseRawFrame("[DONE]");
          return;
        case "error":
          yield sseFrame(openaiError(event.error).body);
          return;
        case "block_start":
        case "block_end":
        case "thinking_delta":
        case "tool_args_delta":
          break;
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
