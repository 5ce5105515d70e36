// A push/pull bridge between node-llama-cpp's callbacks and an async iterator.

export interface EventQueueOptions {
  /** Items that may wait unread before `onOverflow` is called. Default: no limit. */
  limit?: number;
  /** Called once, when one more item than `limit` waits unread. Default: nothing. */
  onOverflow?: () => void;
  /** Decides when a waiting reader hears of pushed items. Default: at once. Closing always wakes it at once. */
  scheduleWake?: (wake: () => void) => void;
}

const DEFAULTS: Required<EventQueueOptions> = {
  limit: Infinity,
  onOverflow: () => undefined,
  scheduleWake: (wake) => wake(),
};

export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiter: (() => void) | undefined;
  private wakeScheduled = false;
  private closed = false;
  private readonly options: Required<EventQueueOptions>;

  constructor(options: EventQueueOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    if (this.items.length === this.options.limit + 1) this.options.onOverflow();
    if (this.waiter === undefined || this.wakeScheduled) return;
    this.wakeScheduled = true;
    this.options.scheduleWake(() => {
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
