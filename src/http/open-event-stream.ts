// Waits for a stream's first event before the HTTP response is committed, so that failures before generation
// starts (bad input, unknown model, queue full) are answered with a status code instead of a broken stream.
import type { ChatEvent } from "../core/chat-event.js";

export async function openEventStream(events: AsyncIterable<ChatEvent>): Promise<AsyncIterable<ChatEvent>> {
  const iterator = events[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === false && first.value.type === "error") throw first.value.error;
  return {
    async *[Symbol.asyncIterator]() {
      try {
        if (first.done === true) return;
        yield first.value;
        for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
      } finally {
        await iterator.return?.();
      }
    },
  };
}
