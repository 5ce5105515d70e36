// A push/pull bridge between node-llama-cpp's callbacks and an async iterator.

export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiter: (() => void) | undefined;
  private closed = false;

  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    this.wake();
  }

  /** No more items will come; iteration ends once the buffered ones are read. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const batch = this.items;
      if (batch.length > 0) {
        this.items = [];
        yield* batch;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => { this.waiter = resolve; });
    }
  }
}
