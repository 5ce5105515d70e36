// Waits for a stream's first event before the HTTP response is committed, so that failures before generation
// starts (bad input, unknown model, queue full) are answered with a status code instead of a broken stream.
import type { ChatEvent } from "../core/chat-event.js";

export interface OpenedEventStream extends AsyncIterable<ChatEvent> {
  /** Ends the stream and frees what it holds, whether or not it was ever iterated. */
  close(): Promise<void>;
}

export async function openEventStream(events: AsyncIterable<ChatEvent>): Promise<OpenedEventStream> {
  const iterator = events[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === false && first.value.type === "error") {
    await iterator.return?.();
    throw first.value.error;
  }
  const close = async (): Promise<void> => {
    await iterator.return?.();
  };
  return {
    close,
    async *[Symbol.asyncIterator]() {
      try {
        if (first.done === true) return;
        yield first.value;
        for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
      } finally {
        await close();
      }
    },
  };
}
