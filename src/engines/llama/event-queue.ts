// A push/pull bridge between node-llama-cpp's callbacks and an async iterator.

export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiter: (() => void) | undefined;
  private closed = false;

  /** `onOverflow` is called once more than `limit` items wait unread. */
  constructor(private readonly limit = Infinity, private readonly onOverflow: () => void = () => undefined) {}

  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    if (this.items.length === this.limit + 1) this.onOverflow();
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
