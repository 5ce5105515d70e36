// A push/pull bridge between node-llama-cpp's callbacks and an async iterator.

export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiter: (() => void) | undefined;
  private wakeScheduled = false;
  private closed = false;

  /**
   * `onOverflow` is called once more than `limit` items wait unread. `scheduleWake` decides when a waiting reader
   * hears of pushed items (at once by default); closing wakes it at once.
   */
  constructor(
    private readonly limit = Infinity,
    private readonly onOverflow: () => void = () => undefined,
    private readonly scheduleWake: (wake: () => void) => void = (wake) => wake(),
  ) {}

  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    if (this.items.length === this.limit + 1) this.onOverflow();
    if (this.waiter === undefined || this.wakeScheduled) return;
    this.wakeScheduled = true;
    this.scheduleWake(() => {
      this.wakeScheduled = false;
      this.wake();
    });
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
