// A model loaded on its first request with one context of its own (an embedding or a ranking context): within the
// memory budget, unloaded when idle or when another model needs the room, reloaded on the next request.
import type { LlamaModel } from "node-llama-cpp";
import type { Logger } from "pino";
import { cancellationOf } from "../../core/cancel-cause.js";
import { GatewayError } from "../../core/gateway-error.js";
import type { EngineHealth, EngineOccupancy } from "../engine.js";
import { estimateMemory, readInsights } from "./estimate-memory.js";
import { loadLlama, loadModel, resolveModelPath, type ModelSource } from "./load-model.js";
import type { Evictable, MemoryBudget } from "./memory-budget.js";

/** The context an `auto` model of this kind gets at most: its inputs are passages, not conversations. */
const MAX_AUTO_CONTEXT = 8192;

/** What node-llama-cpp's embedding and ranking contexts have in common here. */
export interface Disposable {
  dispose(): Promise<void>;
}

export interface OnDemandContextOptions<C extends Disposable> {
  /** The served model's id, for messages; the budget knows it as `budgetId` (the same file may also be loaded for chat). */
  id: string;
  budgetId?: string;
  /** In log lines: `embedding model`, `reranker`. */
  label: string;
  source: ModelSource;
  contextSize: number | "auto";
  threads: number;
  useMmap: boolean;
  /** Requests waiting for the model beyond the one it serves. */
  maxQueue: number;
  queueTimeoutMs: number;
  /** Milliseconds without a request before the model is unloaded; 0: never. */
  idleTtlMs: number;
  budget: MemoryBudget;
  log: Logger;
  /** The context on a freshly loaded model; the whole input is one batch (an encoder must see it at once). */
  createContext(model: LlamaModel, options: { contextSize: number; batchSize: number; threads?: number }): Promise<C>;
}

export interface LoadedContext<C> {
  model: LlamaModel;
  context: C;
  contextSize: number;
  bytes: number;
}

type State<C> = { kind: "unloaded" } | { kind: "loading"; done: Promise<LoadedContext<C>> } | { kind: "loaded"; loaded: LoadedContext<C> };

export class OnDemandContext<C extends Disposable> implements Evictable {
  private state: State<C> = { kind: "unloaded" };
  private inFlight = 0;
  private lastUsed = Date.now();
  private lastFailure: string | undefined;
  /** A load waits for the previous unload to give its memory back. */
  private unloading: Promise<void> = Promise.resolve();

  constructor(private readonly options: OnDemandContextOptions<C>) {
    options.budget.register(this);
  }

  get id(): string {
    return this.options.budgetId ?? this.options.id;
  }

  health(): EngineHealth {
    return this.lastFailure === undefined ? { state: "ready" } : { state: "failed", reason: this.lastFailure };
  }

  occupancy(): EngineOccupancy {
    return { slots: 1, busySlots: Math.min(this.inFlight, 1), queued: Math.max(this.inFlight - 1, 0) };
  }

  /** The loaded model and context, when they are in memory now. */
  current(): LoadedContext<C> | undefined {
    return this.state.kind === "loaded" ? this.state.loaded : undefined;
  }

  /** Runs `task` on the loaded model (loading it first), counted in flight so that it is not unloaded meanwhile. */
  async use<T>(signal: AbortSignal, task: (loaded: LoadedContext<C>) => Promise<T> | T): Promise<T> {
    const loaded = await this.acquire(signal);
    try {
      return await task(loaded);
    } finally {
      this.release();
    }
  }

  idleSince(): number | undefined {
    return this.state.kind === "loaded" && this.inFlight === 0 ? this.lastUsed : undefined;
  }

  residentUntil(): number {
    return 0;
  }

  async unload(): Promise<void> {
    if (this.state.kind !== "loaded" || this.inFlight > 0) return;
    const { loaded } = this.state;
    this.state = { kind: "unloaded" };
    this.unloading = (async () => {
      await loaded.context.dispose();
      await loaded.model.dispose();
      this.options.budget.release(this.id);
      this.options.log.info({ model: this.options.id }, `${this.options.label} unloaded`);
    })();
    await this.unloading;
  }

  async dispose(): Promise<void> {
    if (this.state.kind === "loading") await this.state.done.catch(() => undefined);
    await this.unload();
  }

  /** The loaded model, counted in flight: several first requests share one load, and a failed load is retried later. */
  private async acquire(signal: AbortSignal): Promise<LoadedContext<C>> {
    if (this.inFlight > this.options.maxQueue) {
      throw new GatewayError("overloaded", `${this.inFlight} requests are already waiting for the model '${this.options.id}'; retry shortly.`, { retryAfter: 5 });
    }
    if (signal.aborted) throw cancellationOf(signal);
    this.inFlight++;
    try {
      if (this.state.kind === "loaded") return this.state.loaded;
      if (this.state.kind === "unloaded") {
        const done = this.load();
        this.state = { kind: "loading", done };
        done.then((loaded) => { this.state = { kind: "loaded", loaded }; }, () => { this.state = { kind: "unloaded" }; });
      }
      return await this.state.done;
    } catch (error) {
      this.release();
      throw error;
    }
  }

  private release(): void {
    this.inFlight--;
    this.lastUsed = Date.now();
    if (this.inFlight > 0) return;
    this.options.budget.changed();
    const ttl = this.options.idleTtlMs;
    if (ttl > 0) {
      setTimeout(() => {
        if (this.inFlight === 0 && Date.now() - this.lastUsed >= ttl) void this.unload();
      }, ttl + 10).unref();
    }
  }

  private async load(): Promise<LoadedContext<C>> {
    const { budget, log, source, threads, useMmap, queueTimeoutMs, label } = this.options;
    const started = performance.now();
    try {
      await this.unloading;
      const path = await resolveModelPath(source, log);
      const insights = await readInsights(path, await loadLlama(log));
      const contextSize = this.options.contextSize === "auto" ? Math.min(insights.trainContextSize ?? MAX_AUTO_CONTEXT, MAX_AUTO_CONTEXT) : this.options.contextSize;
      // An encoder (non-causal) model must see a whole input in one batch: the batch is the context.
      const bytes = await estimateMemory(insights, { contextSize, sequences: 1, batchSize: contextSize, kvType: "f16", useMmap });
      await budget.reserve(this.id, bytes, { maxWaitMs: queueTimeoutMs });
      try {
        const model = await loadModel(path, log, useMmap);
        const context = await this.options.createContext(model, { contextSize, batchSize: contextSize, ...(threads > 0 ? { threads } : {}) })
          .catch(async (error: unknown) => {
            await model.dispose();
            throw error;
          });
        this.lastFailure = undefined;
        budget.changed();
        log.info({ model: this.options.id, contextSize, mib: Math.round(bytes / 2 ** 20), ms: Math.round(performance.now() - started) }, `${label} loaded`);
        return { model, context, contextSize, bytes };
      } catch (error) {
        budget.release(this.id);
        throw error;
      }
    } catch (error) {
      this.lastFailure = error instanceof Error ? error.message : String(error);
      log.error({ model: this.options.id, err: this.lastFailure }, `${label} failed to load`);
      throw new GatewayError("unavailable", `The model '${this.options.id}' failed to load: ${this.lastFailure}`, { cause: error });
    }
  }
}
