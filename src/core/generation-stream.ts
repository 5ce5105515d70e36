// A generation as the HTTP layer sees it: an explicit admission to await before the response is committed, then the
// events. Failures before admission (bad input, unknown model, queue full) are answered with a status code instead of
// a broken stream.
import type { ChatEvent } from "./chat-event.js";

export interface GenerationStream extends AsyncIterable<ChatEvent> {
  /** Settles when the generation holds what it needs (a slot, an upstream's answer): resolves, or rejects with the refusal. */
  readonly admitted: Promise<void>;
  /** Ends the generation and frees what it holds, whether or not it was admitted or iterated. */
  close(): Promise<void>;
}

/**
 * A generation from an event stream whose first event is `start` (what every engine emits once admitted): it is
 * started at once, admitted at that event, and refused if the stream fails or reports an error first.
 */
export function admitOnStart(events: AsyncIterable<ChatEvent>): GenerationStream {
  const iterator = events[Symbol.asyncIterator]();
  const first = iterator.next();
  const admitted = first.then(async (result) => {
    if (result.done === false && result.value.type === "error") {
      await iterator.return?.();
      throw result.value.error;
    }
  });
  // A refusal nobody awaits is not an unhandled rejection: iterating rethrows it.
  admitted.catch(() => undefined);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await first.catch(() => undefined);
    await iterator.return?.();
  };
  return {
    admitted,
    close,
    async *[Symbol.asyncIterator]() {
      try {
        await admitted;
        const head = await first;
        if (head.done === true) return;
        yield head.value;
        for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
      } finally {
        await close();
      }
    },
  };
}
