// Server-sent event framing (https://html.spec.whatwg.org/multipage/server-sent-events.html).
import { withTicks } from "./keep-alive.js";

/** One SSE frame with a data line holding `data` as JSON, preceded by an `event:` line when named. */
export function sseFrame(data: unknown, event?: string): string {
  const json = JSON.stringify(data);
  return event === undefined ? `data: ${json}\n\n` : `event: ${event}\ndata: ${json}\n\n`;
}

/** A frame whose data is sent as is (OpenAI's `[DONE]`). */
export function sseRawFrame(data: string): string {
  return `data: ${data}\n\n`;
}

/** No `connection` header: Node's own keeps the connection alive or, when the request asked so, closes it after the stream. */
export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
} as const;

/** An SSE comment, which every conforming parser skips: keeps idle-timeout proxies and clients from dropping a stream. */
export const SSE_KEEP_ALIVE = ": keep-alive\n\n";

/** The frames as they come, with a keep-alive comment after every `everyMs` of silence (a long prompt being read). */
export async function* withKeepAliveComments(frames: AsyncIterable<string>, everyMs: number): AsyncGenerator<string> {
  for await (const item of withTicks(frames, everyMs)) yield typeof item === "string" ? item : SSE_KEEP_ALIVE;
}
