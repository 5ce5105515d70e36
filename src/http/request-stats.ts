// What a generating request did, noted as its events pass by, for its log line and the metrics.
import type { FastifyReply } from "fastify";
import type { ChatEvent } from "../core/chat-event.js";

export interface RequestStats {
  inputTokens: number;
  /** Of inputTokens, those read from a slot's cache rather than evaluated. */
  cachedTokens: number;
  outputTokens: number;
  /** Milliseconds from the request's arrival to its first generated content. */
  ttftMs?: number;
  cache?: "hit" | "miss";
}

/**
 * Passes `events` through unchanged, adding their usage and first-content time to the request's stats. A generation
 * that never reaches its end (aborted, failed) still counts what it used: its prompt from `start`, and one output
 * token per content delta (as engines emit them), until `end` replaces the estimate with the exact usage.
 */
export async function* tapEvents(reply: FastifyReply, events: AsyncIterable<ChatEvent>, cache?: "hit" | "miss"): AsyncGenerator<ChatEvent> {
  const noted = (reply.request.lals.stats ??= { inputTokens: 0, cachedTokens: 0, outputTokens: 0 });
  if (cache !== undefined && noted.cache !== "miss") noted.cache = cache;
  let input = 0;
  let output = 0;
  for await (const event of events) {
    switch (event.type) {
      case "start":
        noted.inputTokens += event.inputTokens - input;
        noted.cachedTokens += event.cachedTokens;
        input = event.inputTokens;
        break;
      case "text_delta":
      case "thinking_delta":
      case "tool_args_delta":
        noted.ttftMs ??= reply.elapsedTime;
        noted.outputTokens++;
        output++;
        break;
      case "end":
        noted.inputTokens += event.usage.inputTokens - input;
        noted.outputTokens += event.usage.outputTokens - output;
        input = event.usage.inputTokens;
        output = event.usage.outputTokens;
        break;
      default:
        break;
    }
    yield event;
  }
}

