// Server-sent event framing (https://html.spec.whatwg.org/multipage/server-sent-events.html).

/** One SSE frame with a data line holding `data` as JSON, preceded by an `event:` line when named. */
export function sseFrame(data: unknown, event?: string): string {
  const json = JSON.stringify(data);
  return event === undefined ? `data: ${json}\n\n` : `event: ${event}\ndata: ${json}\n\n`;
}

/** A frame whose data is sent as is (OpenAI's `[DONE]`). */
export function sseRawFrame(data: string): string {
  return `data: ${data}\n\n`;
}

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
  "x-accel-buffering": "no",
} as const;
