// Hands free slots to requests, queues the rest up to a bound, and drops waiters whose signal aborts.
import { cancellationOf } from "../../core/cancel-cause.js";
import { GatewayError } from "../../core/gateway-error.js";

interface Waiter<S> {
  count: number;
  pick: (free: readonly S[]) => S;
  resolve: (slots: S[]) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
  timer: NodeJS.Timeout | undefined;
}

export interface SlotSchedulerOptions<S> {
  slots: readonly S[];
  /** Requests that may wait in line; one more is refused as overloaded. */
  maxQueue: number;
  /** How long a request may wait in line before it is refused as overloaded. Default: 0, no limit. */
  maxWaitMs?: number;
}

export class SlotScheduler<S> {
  private readonly free: S[];
  private readonly waiters: Waiter<S>[] = [];
  private readonly size: number;
  private readonly maxQueue: number;
  private readonly maxWaitMs: number;

  constructor({ slots, maxQueue, maxWaitMs = 0 }: SlotSchedulerOptions<S>) {
    this.free = [...slots];
    this.size = slots.length;
    this.maxQueue = maxQueue;
    this.maxWaitMs = maxWaitMs;
  }

  get queued(): number {
    return this.waiters.length;
  }

  get idle(): number {
    return this.free.length;
  }

  /**
   * Resolves with a slot chosen by `pick` among the free ones, waiting in line when none is free.
   * Rejects with `overloaded` when the line is full or the wait runs past the limit, and with the signal's cancellation
   * (core/cancel-cause.ts) when it aborts first.
   */
  acquire(signal: AbortSignal, pick: (free: readonly S[]) => S = (free) => free[0] as S): Promise<S> {
    return this.acquireMany(1, signal, pick).then((slots) => slots[0]!);
  }

  /**
   * Resolves with `count` slots taken together, never some now and the rest later, so that requests needing several
   * slots cannot each hold part of what the other needs. `pick` chooses each one in turn among those still free.
   */
  acquireMany(count: number, signal: AbortSignal, pick: (free: readonly S[]) => S = (free) => free[0] as S): Promise<S[]> {
    if (signal.aborted) return Promise.reject(cancellationOf(signal));
    if (count > this.size) {
      return Promise.reject(new GatewayError("invalid_request", `This request needs ${count} slots at once (one per choice or prompt), but the server has ${this.size} (MODEL_PARALLEL).`));
    }
    if (this.free.length >= count && this.waiters.length === 0) return Promise.resolve(this.take(count, pick));
    if (this.waiters.length >= this.maxQueue) {
      return Promise.reject(new GatewayError("overloaded", "All slots are busy and the queue is full; retry shortly.", { retryAfter: 1 }));
    }
    return new Promise<S[]>((resolve, reject) => {
      const leave = (reason: unknown): void => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        signal.removeEventListener("abort", waiter.onAbort);
        clearTimeout(waiter.timer);
        reject(reason);
      };
      const waiter: Waiter<S> = {
        count, pick, resolve, reject, signal,
        onAbort: () => leave(cancellationOf(signal)),
        timer: this.maxWaitMs > 0
          ? setTimeout(() => leave(new GatewayError("overloaded", `Waited ${this.maxWaitMs / 1000} s for a free slot; retry shortly.`, { retryAfter: 1 })), this.maxWaitMs)
          : undefined,
      };
      signal.addEventListener("abort", waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Returns a slot; waiters are served in arrival order, the first one waiting until all it needs are free. */
  release(slot: S): void {
    this.free.push(slot);
    for (let waiter = this.waiters[0]; waiter !== undefined && waiter.count <= this.free.length; waiter = this.waiters[0]) {
      this.waiters.shift();
      waiter.signal.removeEventListener("abort", waiter.onAbort);
      clearTimeout(waiter.timer);
      waiter.resolve(this.take(waiter.count, waiter.pick));
    }
  }

  private take(count: number, pick: (free: readonly S[]) => S): S[] {
    return Array.from({ length: count }, () => {
      const slot = pick(this.free);
      this.free.splice(this.free.indexOf(slot), 1);
      return slot;
    });
  }
}
