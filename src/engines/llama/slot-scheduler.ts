// Hands free slots to requests, queues the rest up to a bound, and drops waiters whose signal aborts.
import { GatewayError } from "../../core/gateway-error.js";

interface Waiter<S> {
  pick: (free: readonly S[]) => S;
  resolve: (slot: S) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
  timer: NodeJS.Timeout | undefined;
}

export class SlotScheduler<S> {
  private readonly free: S[];
  private readonly waiters: Waiter<S>[] = [];

  /** `maxWaitMs`: how long a request may wait in line before it is refused as overloaded (0: no limit). */
  constructor(slots: readonly S[], private readonly maxQueue: number, private readonly maxWaitMs = 0) {
    this.free = [...slots];
  }

  get queued(): number {
    return this.waiters.length;
  }

  get idle(): number {
    return this.free.length;
  }

  /**
   * Resolves with a slot chosen by `pick` among the free ones, waiting in line when none is free.
   * Rejects with `overloaded` when the line is full or the wait runs past the limit, and with the signal's reason when
   * it aborts first.
   */
  acquire(signal: AbortSignal, pick: (free: readonly S[]) => S = (free) => free[0] as S): Promise<S> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.free.length > 0 && this.waiters.length === 0) return Promise.resolve(this.take(pick));
    if (this.waiters.length >= this.maxQueue) {
      return Promise.reject(new GatewayError("overloaded", "All slots are busy and the queue is full; retry shortly.", { retryAfter: 1 }));
    }
    return new Promise<S>((resolve, reject) => {
      const leave = (reason: unknown): void => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        signal.removeEventListener("abort", waiter.onAbort);
        clearTimeout(waiter.timer);
        reject(reason);
      };
      const waiter: Waiter<S> = {
        pick, resolve, reject, signal,
        onAbort: () => leave(signal.reason),
        timer: this.maxWaitMs > 0
          ? setTimeout(() => leave(new GatewayError("overloaded", `Waited ${this.maxWaitMs / 1000} s for a free slot; retry shortly.`, { retryAfter: 1 })), this.maxWaitMs)
          : undefined,
      };
      signal.addEventListener("abort", waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Returns a slot: the longest-waiting request gets it at once. */
  release(slot: S): void {
    this.free.push(slot);
    const waiter = this.waiters.shift();
    if (waiter === undefined) return;
    waiter.signal.removeEventListener("abort", waiter.onAbort);
    clearTimeout(waiter.timer);
    waiter.resolve(this.take(waiter.pick));
  }

  private take(pick: (free: readonly S[]) => S): S {
    const slot = pick(this.free);
    this.free.splice(this.free.indexOf(slot), 1);
    return slot;
  }
}
