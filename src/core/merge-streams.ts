// Interleaves several async streams as their items arrive, tagging each item with the index of its stream.

export interface Indexed<T> {
  index: number;
  value: T;
}

export async function* mergeStreams<T>(streams: ReadonlyArray<AsyncIterable<T>>): AsyncGenerator<Indexed<T>> {
  const iterators = streams.map((s) => s[Symbol.asyncIterator]());
  const pull = (index: number): Promise<{ index: number; result: IteratorResult<T> }> => {
    const pulled = iterators[index]!.next().then((result) => ({ index, result }));
    // A stream may fail while we are paused at a yield, or after the consumer has left and no race will ever look at
    // it again; Node 20 exits on a rejection nobody handled. The next race still sees the failure.
    pulled.catch(() => undefined);
    return pulled;
  };
  const pending = new Map(iterators.map((_, index) => [index, pull(index)]));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done === true) {
        pending.delete(index);
        continue;
      }
      pending.set(index, pull(index));
      yield { index, value: result.value };
    }
  } finally {
    // Leaving early (a failure, a client gone) ends every stream still running; one that fails to end has already
    // failed, and its failure is not the one to report.
    await Promise.allSettled([...pending.keys()].map((index) => iterators[index]!.return?.()));
  }
}
