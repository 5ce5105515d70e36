// Canonical events → the pieces an Ollama stream is made of, for /api/chat and /api/generate alike: text, thinking,
// each tool call whole once its arguments are, and the final statistics measured as the events arrive.
import type { ChatEvent } from "../../core/chat-event.js";
import { toGatewayError } from "../../core/gateway-error.js";
import { ollamaError } from "./errors.js";
import { finalStats } from "./final-stats.js";
import { renderLogprobs, type WireLogprob } from "./logprobs.js";
import type { ReplyContext } from "./reply-context.js";
import { ollamaToolCall } from "./tool-calls.js";
import type { FinalStats, OllamaToolCall } from "./wire.js";

export type ReplyPiece =
  | { type: "content"; text: string; logprobs?: WireLogprob[] }
  | { type: "thinking"; text: string }
  | { type: "tool_call"; call: OllamaToolCall }
  | { type: "done"; stats: FinalStats }
  /** A failure after the stream began: Ollama writes a line `{"error": "…"}`. */
  | { type: "error"; message: string };

export async function* replyPieces(events: AsyncIterable<ChatEvent>, context: ReplyContext): AsyncGenerator<ReplyPiece> {
  const now = (): number => context.clock.monotonic();
  let start = context.requestStart;
  let firstOutput: number | undefined;
  const calls = new Map<number, { id: string; name: string; json: string }>();
  let callCount = 0;
  try {
    for await (const event of events) {
      switch (event.type) {
        case "start":
          start = now();
          break;
        case "block_start":
          if (event.kind === "tool_call") calls.set(event.index, { id: event.toolCallId, name: event.name, json: "" });
          break;
        case "text_delta":
          firstOutput ??= now();
          if (event.text !== "" || event.logprobs !== undefined) {
            yield { type: "content", text: event.text, ...(event.logprobs === undefined ? {} : { logprobs: renderLogprobs(event.logprobs) }) };
          }
          break;
        case "thinking_delta":
          firstOutput ??= now();
          if (event.text !== "") yield { type: "thinking", text: event.text };
          break;
        case "tool_args_delta": {
          firstOutput ??= now();
          const call = calls.get(event.index);
          if (call !== undefined) call.json += event.json;
          break;
        }
        case "block_end": {
          const call = calls.get(event.index);
          if (call === undefined) break;
          calls.delete(event.index);
          const rendered = ollamaToolCall(call.id, call.name, call.json, callCount);
          if (rendered !== undefined) {
            callCount++;
            yield { type: "tool_call", call: rendered };
          }
          break;
        }
        case "end":
          yield { type: "done", stats: finalStats({ requestStart: context.requestStart, start, ...(firstOutput === undefined ? {} : { firstOutput }), end: now() }, event.usage, event.stopReason) };
          return;
        case "error":
          yield { type: "error", message: ollamaError(event.error).body.error };
          return;
        default: {
          const never: never = event;
          throw new Error(`unknown event ${JSON.stringify(never)}`);
        }
      }
    }
  } catch (error) {
    yield { type: "error", message: ollamaError(toGatewayError(error)).body.error };
  }
}
