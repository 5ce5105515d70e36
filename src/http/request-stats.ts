// What a generating request did, noted as its events pass by, for its log line and the metrics.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ChatEvent } from "../core/chat-event.js";

export interface RequestStats {
  inputTokens: number;
  outputTokens: number;
  /** Milliseconds from the request's arrival to its first generated content. */
  ttftMs?: number;
  cache?: "hit" | "miss";
}

const stats = new WeakMap<FastifyRequest, RequestStats>();

export function statsOf(request: FastifyRequest): RequestStats | undefined {
  return stats.get(request);
}

/** Passes `events` through unchanged, adding their usage and first-content time to the request's stats. */
export async function* tapEvents(reply: FastifyReply, events: AsyncIterable<ChatEvent>, cache?: "hit" | "miss"): AsyncGenerator<ChatEvent> {
  const noted = stats.get(reply.request) ?? { inputTokens: 0, outputTokens: 0 };
  stats.set(reply.request, noted);
  if (cache !== undefined && noted.cache !== "miss") noted.cache = cache;
  for await (const event of events) {
    if (noted.ttftMs === undefined && (event.type === "text_delta" || event.type === "thinking_delta" || event.type === "tool_args_delta")) {
      noted.ttftMs = reply.elapsedTime;
    }
    if (event.type === "end") {
      noted.inputTokens += event.usage.inputTokens;
      noted.outputTokens += event.usage.outputTokens;
    }
    yield event;
  }
}
