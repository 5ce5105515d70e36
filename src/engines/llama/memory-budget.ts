// How much memory the local models may hold together (MODEL_MEMORY_LIMIT): a model that does not fit first unloads the
// least recently used idle ones. A model still within its minimum residency (MODEL_MIN_RESIDENCY after its load) or
// serving requests is not unloaded: the model that needs its room waits, and while it waits the models past their
// residency take no new requests, so that they drain. Two models asked for in turn therefore swap at most once per
// residency instead of on every request. The wait is bounded (QUEUE_TIMEOUT), then refused as overloaded.
import { setTimeout as sleep } from "node:timers/promises";
import { GatewayError } from "../../core/gateway-error.js";

/** A loaded model the budget may unload to make room. */
export interface Evictable {
  readonly id: string;
  /** When it last finished a request; undefined while it serves one (or is pinned), which makes it unevictable. */
  idleSince(): number | undefined;
  /** Until when (Date.now() milliseconds) it is not unloaded for another model: its minimum residency. */
  residentUntil(): number;
  unload(): Promise<void>;
}

export interface ReserveOptions {
  /** How long to wait for models within their residency or serving requests to make room; 0: no limit. */
  maxWaitMs: number;
  /** Gives up waiting (nobody wants the model any more). */
  signal?: AbortSignal;
}

const MIB = 1024 * 1024;

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

export class MemoryBudget {
  private readonly held = new Map<string, number>();
  private readonly evictables = new Set<Evictable>();
  /** The models waiting for room, by id. */
  private readonly waiting = new Map<string, number>();
  private wake = deferred();
  // Reservations run one at a time, so two loads never both unload the same model or both count the same free bytes.
  private turn: Promise<unknown> = Promise.resolve();

  constructor(readonly limitBytes: number) {}

  get usedBytes(): number {
    let used = 0;
    for (const bytes of this.held.values()) used += bytes;
    return used;
  }

  register(model: Evictable): void {
    this.evictables.add(model);
  }

  /**
   * Reserves `bytes` for `id`, unloading idle models past their residency (least recently used first) until they
   * fit, and waiting for the others (see the top of this file) when that is not enough.
   */
  async reserve(id: string, bytes: number, options: ReserveOptions = { maxWaitMs: 0 }): Promise<void> {
    const deadline = options.maxWaitMs > 0 ? Date.now() + options.maxWaitMs : Number.POSITIVE_INFINITY;
    try {
      for (;;) {
        const attempt = this.turn.then(() => this.makeRoom(id, bytes));
        this.turn = attempt.catch(() => undefined);
        const retryAt = await attempt;
        if (retryAt === undefined) return;
        if (Date.now() >= deadline) {
          throw new GatewayError("overloaded",
            `The model '${id}' waited ${Math.round(options.maxWaitMs / 1000)} s for room in MODEL_MEMORY_LIMIT held by models loaded moments ago (MODEL_MIN_RESIDENCY) or serving requests; retry shortly.`,
            { retryAfter: 10, reason: "memory_wait" });
        }
        if (!this.waiting.has(id)) {
          this.waiting.set(id, bytes);
          this.changed();
        }
        await this.nextChange(Math.min(retryAt, deadline), options.signal);
      }
    } finally {
      if (this.waiting.delete(id)) this.changed();
    }
  }

  /** Counts `bytes` for a model that is never unloaded (the default one), fitting or not. */
  hold(id: string, bytes: number): void {
    this.held.set(id, bytes);
  }

  release(id: string): void {
    this.held.delete(id);
    this.changed();
  }

  /** Whether `model` should take no new requests: it is past its residency and another model waits for room. */
  draining(model: Evictable): boolean {
    if (model.residentUntil() > Date.now() || !this.held.has(model.id)) return false;
    for (const id of this.waiting.keys()) if (id !== model.id) return true;
    return false;
  }

  /** Wakes whoever waits on the budget (a reservation, a draining model's requests) to look again. */
  changed(): void {
    this.wake.resolve();
    this.wake = deferred();
  }

  /** Resolves at the next change, at `until` (Date.now() milliseconds) at the latest; rejects when `signal` aborts. */
  async nextChange(until: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const timer = Number.isFinite(until) ? sleep(Math.max(0, until - Date.now()), undefined, { signal: stop.signal }) : new Promise<never>(() => undefined);
      const aborted = new Promise<never>((_, reject) => stop.signal.addEventListener("abort", () => reject(signal?.reason), { once: true }));
      await Promise.race([this.wake.promise, timer, aborted]);
    } finally {
      signal?.removeEventListener("abort", onAbort);
      stop.abort();
    }
  }

  /** Reserves and returns undefined, or returns when to look again (a residency ends; Infinity: when something changes). */
  private async makeRoom(id: string, bytes: number): Promise<number | undefined> {
    while (this.usedBytes + bytes > this.limitBytes) {
      const now = Date.now();
      const others = [...this.evictables].filter((m) => m.id !== id && this.held.has(m.id));
      const idle = others
        .filter((m) => m.idleSince() !== undefined && m.residentUntil() <= now)
        .sort((a, b) => a.idleSince()! - b.idleSince()!);
      const victim = idle[0];
      if (victim === undefined) {
        const othersBytes = others.reduce((sum, m) => sum + (this.held.get(m.id) ?? 0), 0);
        if (othersBytes === 0 || this.usedBytes - othersBytes + bytes > this.limitBytes) {
          throw new GatewayError("unavailable",
            `The model '${id}' needs about ${Math.ceil(bytes / MIB)} MiB, but ${Math.floor((this.limitBytes - this.usedBytes) / MIB)} of MODEL_MEMORY_LIMIT's ${Math.floor(this.limitBytes / MIB)} MiB are free and unloading the other on-demand models would not make room.`,
            { retryAfter: 10, reason: "memory_limit" });
        }
        const residencies = others.map((m) => m.residentUntil()).filter((until) => until > now);
        return residencies.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...residencies);
      }
      await victim.unload();
    }
    this.held.set(id, bytes);
    return undefined;
  }
}
