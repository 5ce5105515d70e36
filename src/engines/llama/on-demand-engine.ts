// A local model loaded on its first request, kept while used, and unloaded after MODEL_IDLE_TTL of no use or when the
// memory budget needs its room for another model.
import type { Logger } from "pino";
import type { ChatEvent } from "../../core/chat-event.js";
import type { ChatRequest } from "../../core/chat-request.js";
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
  log: Logger;
}

type State =
  | { kind: "unloaded" }
  | { kind: "loading"; done: Promise<LlamaEngine> }
  | { kind: "loaded"; engine: LlamaEngine }
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

  health(): EngineHealth {
    if (this.state.kind === "loaded") return this.state.engine.health();
    return this.lastFailure === undefined ? { state: "ready" } : { state: "failed", reason: this.lastFailure };
  }

  occupancy(): EngineOccupancy {
    if (this.state.kind === "loaded") return this.state.engine.occupancy();
    return { slots: 0, busySlots: 0, queued: this.waiting };
  }

  models(): ModelInfo[] {
    if (this.state.kind === "loaded") return this.state.engine.models().map((m) => ({ ...m, loaded: true }));
    const { contextSize } = this.settings;
    return [{ id: this.id, created: this.created, ownedBy: "lals", contextLength: contextSize === "auto" ? 0 : contextSize, loaded: false }];
  }

  async countTokens(request: ChatRequest): Promise<number> {
    const engine = await this.acquire();
    try {
      return await engine.countTokens(request);
    } finally {
      this.release();
    }
  }

  /** Admitted once the model is loaded and its engine has admitted the request. */
  generate(request: ChatRequest, signal: AbortSignal, options: GenerateOptions): GenerationStream {
    return admitOnStart(this.events(request, signal, options));
  }

  private async *events(request: ChatRequest, signal: AbortSignal, options: GenerateOptions): AsyncGenerator<ChatEvent> {
    const engine = await this.acquire();
    try {
      yield* engine.generate(request, signal, options);
    } finally {
      this.release();
    }
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
    if (this.state.kind === "loading") await this.state.done.catch(() => undefined);
    if (this.state.kind === "loaded") await this.state.engine.dispose();
    this.state = { kind: "unloaded" };
  }

  /** The loaded engine, counted in flight; several first requests share one load, and a failed load is retried later. */
  private async acquire(): Promise<LlamaEngine> {
    this.waiting++;
    try {
      for (;;) {
        const state = this.state;
        if (state.kind === "loaded") {
          this.inFlight++;
          return state.engine;
        }
        if (state.kind === "unloaded") this.state = { kind: "loading", done: this.load() };
        else await state.done;
      }
    } finally {
      this.waiting--;
    }
  }

  private release(): void {
    this.inFlight--;
    this.lastUsed = Date.now();
    const ttl = this.options.idleTtlMs;
    if (ttl > 0 && this.inFlight === 0) {
      setTimeout(() => {
        if (this.inFlight === 0 && Date.now() - this.lastUsed >= ttl) void this.unload();
      }, ttl + 10).unref();
    }
  }

  private async load(): Promise<LlamaEngine> {
    const { budget, log } = this.options;
    const { settings } = this;
    const started = performance.now();
    try {
      const path = await resolveModelPath(settings.source, log);
      const bytes = await estimateMemory(await readInsights(path, await loadLlama(log)), memorySettings(settings));
      await budget.reserve(this.id, bytes);
      const engine = new LlamaEngine({ ...settings, source: { uri: path, cacheDir: settings.source.cacheDir } });
      try {
        await engine.load();
      } catch (error) {
        budget.release(this.id);
        throw error;
      }
      this.lastFailure = undefined;
      this.state = { kind: "loaded", engine };
      log.info({ model: this.id, mib: Math.round(bytes / 2 ** 20), ms: Math.round(performance.now() - started) }, "model loaded on demand");
      return engine;
    } catch (error) {
      this.lastFailure = error instanceof Error ? error.message : String(error);
      this.state = { kind: "unloaded" };
      log.error({ model: this.id, err: error }, "model failed to load");
      if (error instanceof GatewayError) throw error;
      throw new GatewayError("unavailable", `The model '${this.id}' could not be loaded: ${this.lastFailure}`, { retryAfter: 10, reason: "model_load_failed", cause: error });
    }
  }
}
