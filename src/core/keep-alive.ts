// Interleaves a tick into an event stream whenever it has been silent for a while, so a renderer can send something
// while a long prompt is read: Codex drops a stream after 300 s without an event and does not count SSE comments,
// Claude Code has idle watchdogs of its own. Each protocol renders a tick its own way (`ping`, `response.in_progress`).

export interface Tick {
  type: "tick";
}

const TICK: Tick = { type: "tick" };

/** The source's items as they come, with a tick after every `everyMs` without one. */
export async function* withTicks<T>(source: AsyncIterable<T>, everyMs: number): AsyncGenerator<T | Tick> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined = iterator.next();
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const silence = new Promise<Tick>((resolve) => { timer = setTimeout(resolve, everyMs, TICK); });
      const next = await Promise.race([pending, silence]).finally(() => clearTimeout(timer));
      if (next === TICK) {
        yield TICK;
        continue;
      }
      const result = next as IteratorResult<T>;
      if (result.done === true) {
        pending = undefined;
        return;
      }
      pending = iterator.next();
      yield result.value;
    }
  } finally {
    // A consumer that leaves mid-wait must not wait for the source's next item (the engine may be reading a prompt):
    // the source is told to end and finishes on its own, its signal already aborted by whoever stopped reading.
    if (pending !== undefined) {
      pending.catch(() => undefined);
      void Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
  }
}
