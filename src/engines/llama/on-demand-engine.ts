// A local model loaded on its first request, kept while used, and unloaded after MODEL_IDLE_TTL of no use or when the
// memory budget needs its room for another model — not before MODEL_MIN_RESIDENCY has passed since its load, and
// after it has drained (see memory-budget.ts): requests that arrive while it drains wait for its next load.
import type { Logger } from "pino";
import { cancellationOf } from "../../core/cancel-cause.js";
import type { ChatEvent } from "../../core/chat-event.js";
import type { ChatRequest } from "../../core/chat-request.js";
import type { DetokenizeRequest, TokenizeRequest, TokenizeResult } from "../../core/tokenize-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { admitOnStart, type GenerationStream } from "../../core/generation-stream.js";
import type { Engine, EngineHealth, EngineOccupancy, GenerateOptions, ModelInfo } from "../engine.js";
import { estimateMemory, readInsights } from "./estimate-memory.js";
import { LlamaEngine } from "./llama-engine.js";
import { llamaEngineSettings, memorySettings, type LlamaEngineOptions, type LlamaEngineSettings } from "./llama-engine-options.js";
import { loadLlama, resolveModelPath } from "./load-model.js";
import type { Evictable, MemoryBudget } from "./memory-budget.js";

export interface OnDemandOptions {
  engine: LlamaEngineOptions;
  budget: MemoryBudget;
  /** Milliseconds without a request before the model is unloaded; 0: never. */
  idleTtlMs: number;
  /** Milliseconds after a load during which the model is not unloaded to make room for another. Default: 0. */
  minResidencyMs?: number;
  log: Logger;
}

type State =
  | { kind: "unloaded" }
  /** `done` gives undefined when the load was abandoned, every request for it having left while it waited for room. */
  | { kind: "loading"; done: Promise<LlamaEngine | undefined>; abandon: AbortController }
  | { kind: "loaded"; engine: LlamaEngine; residentUntil: number }
  | { kind: "unloading"; done: Promise<void> };

export class OnDemandEngine implements Engine, Evictable {
  private state: State = { kind: "unloaded" };
  private inFlight = 0;
  private waiting = 0;
  private lastUsed = Date.now();
  private lastFailure: string | undefined;
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly settings: LlamaEngineSettings;

  constructor(private readonly options: OnDemandOptions) {
    this.settings = llamaEngineSettings(options.engine);
    options.budget.register(this);
  }

  get id(): string {
    return this.options.engine.alias;
  }

  get loaded(): boolean {
    return this.state.kind === "loaded";
  }

  idleSince(): number | undefined {
    return this.state.kind === "loaded" && this.inFlight === 0 ? this.lastUsed : undefined;
  }

  residentUntil(): number {
    return this.state.kind === "loaded" ? this.state.residentUntil : 0;
  }

  health(): EngineHealth {
    if (this.state.kind === "loaded") return this.state.engine.health();
    return this.lastFailure === undefined ? { state: "ready" } : { state: "failed", reason: this.lastFailure };
  }

  occupancy(): EngineOccupancy {
    if (this.state.kind === "loaded") {
      const occupancy = this.state.engine.occupancy();
      return { ...occupancy, queued: occupancy.queued + this.waiting };
    }
    return { slots: 0, busySlots: 0, queued: this.waiting };
  }

  models(): ModelInfo[] {
    if (this.state.kind === "loaded") {
      const ttl = this.options.idleTtlMs;
      const expiresAt = ttl > 0 ? Math.max(this.lastUsed + ttl, this.state.residentUntil) : undefined;
      return this.state.engine.models().map((m) => ({ ...m, loaded: true, ...(expiresAt === undefined ? {} : { expiresAt }) }));
    }
    const { contextSize } = this.settings;
    return [{ id: this.id, created: this.created, ownedBy: "lals", contextLength: contextSize === "auto" ? 0 : contextSize, loaded: false }];
  }

  async countTokens(request: ChatRequest): Promise<number> {
    return this.withEngine((engine) => engine.countTokens(request));
  }

  async tokenize(request: TokenizeRequest): Promise<TokenizeResult> {
    return this.withEngine((engine) => engine.tokenize(request));
  }

  async detokenize(request: DetokenizeRequest): Promise<string> {
    return this.withEngine((engine) => engine.detokenize(request));
  }

  /** `task` on the loaded engine, which stays loaded until it is done. */
  private async withEngine<T>(task: (engine: LlamaEngine) => Promise<T>): Promise<T> {
    const engine = await this.acquire();
    try {
      return await task(engine);
    } finally {
      this.release();
    }
  }

  /** Admitted once the model is loaded and its engine has admitted the request. */
  generate(request: ChatRequest, signal: AbortSignal, options: GenerateOptions): GenerationStream {
    return admitOnStart(this.events(request, signal, options));
  }

  private async *events(request: ChatRequest, signal: AbortSignal, options: GenerateOptions): AsyncGenerator<ChatEvent> {
    const engine = await this.acquire(signal);
    try {
      yield* engine.generate(request, signal, options);
    } finally {
      this.release();
    }
  }

  async keepAlive(seconds: number): Promise<void> {
    if (seconds === 0) return this.unload();
    await this.acquire();
    this.release();
  }

  async unload(): Promise<void> {
    if (this.state.kind !== "loaded" || this.inFlight > 0) return;
    const { engine } = this.state;
    const done = (async () => {
      await engine.dispose();
      this.options.budget.release(this.id);
      this.options.log.info({ model: this.id }, "model unloaded");
      this.state = { kind: "unloaded" };
    })();
    this.state = { kind: "unloading", done };
    await done;
  }

  async dispose(): Promise<void> {
    if (this.state.kind === "loading") {
      this.state.abandon.abort();
      await this.state.done.catch(() => undefined);
    }
    if (this.state.kind === "loaded") await this.state.engine.dispose();
    this.state = { kind: "unloaded" };
  }

  /**
   * The loaded engine, counted in flight; several first requests share one load, and a failed load is retried later.
   * Waits while the model loads or drains, at most as many requests as its slots and MAX_QUEUE hold.
   */
  private async acquire(signal?: AbortSignal): Promise<LlamaEngine> {
    const { budget } = this.options;
    const { parallel, maxQueue } = this.settings;
    if ((this.state.kind !== "loaded" || budget.draining(this)) && this.waiting >= parallel + maxQueue) {
      throw new GatewayError("overloaded", `${this.waiting} requests are already waiting for the model '${this.id}' to load; retry shortly.`, { retryAfter: 5 });
    }
    this.waiting++;
    try {
      for (;;) {
        if (signal?.aborted) throw cancellationOf(signal);
        const state = this.state;
        if (state.kind === "loaded" && !budget.draining(this)) {
          this.inFlight++;
          return state.engine;
        }
        if (state.kind === "unloaded") this.startLoad();
        else if (state.kind === "loaded") await budget.nextChange(Number.POSITIVE_INFINITY, signal).catch(() => undefined);
        else await untilAborted<unknown>(state.done, signal);
      }
    } finally {
      this.waiting--;
      if (this.waiting === 0 && this.state.kind === "loading") this.state.abandon.abort();
    }
  }

  private release(): void {
    this.inFlight--;
    this.lastUsed = Date.now();
    if (this.inFlight === 0) this.options.budget.changed();
    const ttl = this.options.idleTtlMs;
    if (ttl > 0 && this.inFlight === 0) {
      setTimeout(() => {
        if (this.inFlight === 0 && Date.now() - this.lastUsed >= ttl) void this.unload();
      }, ttl + 10).unref();
    }
  }

  private startLoad(): void {
    const abandon = new AbortController();
    const done = this.load(abandon.signal);
    done.catch(() => undefined); // the requests waiting for it get the error; when none is left, nobody needs to
    this.state = { kind: "loading", done, abandon };
  }

  private async load(abandoned: AbortSignal): Promise<LlamaEngine | undefined> {
    const { budget, log } = this.options;
    const { settings } = this;
    const started = performance.now();
    try {
      const path = await resolveModelPath(settings.source, log);
      const bytes = await estimateMemory(await readInsights(path, await loadLlama(log)), memorySettings(settings));
      try {
        await budget.reserve(this.id, bytes, { maxWaitMs: settings.queueTimeoutMs, signal: abandoned });
      } catch (error) {
        if (!abandoned.aborted) throw error;
        this.state = { kind: "unloaded" };
        return undefined;
      }
      const engine = new LlamaEngine({ ...settings, source: { uri: path, cacheDir: settings.source.cacheDir } });
      try {
        await engine.load();
      } catch (error) {
        budget.release(this.id);
        throw error;
      }
      this.lastFailure = undefined;
      this.state = { kind: "loaded", engine, residentUntil: Date.now() + (this.options.minResidencyMs ?? 0) };
      budget.changed();
      log.info({ model: this.id, mib: Math.round(bytes / 2 ** 20), ms: Math.round(performance.now() - started) }, "model loaded on demand");
      return engine;
    } catch (error) {
      this.state = { kind: "unloaded" };
      // Waited past QUEUE_TIMEOUT for room: the model itself is fine.
      if (error instanceof GatewayError && error.kind === "overloaded") throw error;
      this.lastFailure = error instanceof Error ? error.message : String(error);
      log.error({ model: this.id, err: error }, "model failed to load");
      if (error instanceof GatewayError) throw error;
      throw new GatewayError("unavailable", `The model '${this.id}' could not be loaded: ${this.lastFailure}`, { retryAfter: 10, reason: "model_load_failed", cause: error });
    }
  }
}

/** `promise`, or the signal's cancellation if it aborts first. */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(cancellationOf(signal));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
