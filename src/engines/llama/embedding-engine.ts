// A local model serving embeddings through node-llama-cpp's embedding context: loaded on its first request within the
// memory budget, unloaded when idle or when another model needs the room. Its chat surface refuses with a 400.
//
// node-llama-cpp's embedding context reads the pooled vector of sequence 0 only, so inputs are evaluated one after the
// other on one sequence (each input still decodes in batches of its own tokens); requests wait their turn in line.
import type { LlamaEmbeddingContext, LlamaModel, Token } from "node-llama-cpp";
import type { Logger } from "pino";
import { cancellationOf } from "../../core/cancel-cause.js";
import type { ChatRequest } from "../../core/chat-request.js";
import { unitVector, type EmbedInput, type EmbedRequest, type EmbedResult } from "../../core/embed-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import type { GenerationStream } from "../../core/generation-stream.js";
import type { DetokenizeRequest, TokenizeRequest, TokenizeResult } from "../../core/tokenize-request.js";
import type { Engine, EngineHealth, EngineOccupancy, ModelInfo } from "../engine.js";
import { notChat } from "../router.js";
import { estimateMemory, readInsights } from "./estimate-memory.js";
import { loadLlama, loadModel, resolveModelPath, type ModelSource } from "./load-model.js";
import type { Evictable, MemoryBudget } from "./memory-budget.js";
import { ModelTokenizer } from "./model-tokenizer.js";

/** Tokens of every input of one request together: bounds the work one request can ask for before any is done. */
export const MAX_EMBED_TOKENS_PER_REQUEST = 1 << 19;
/** The context an `auto` embedding model gets at most: embedding inputs are passages, not conversations. */
const MAX_AUTO_CONTEXT = 8192;

export interface EmbeddingEngineOptions {
  /** The served model's id; the budget knows it as `budgetId` (the same model may also be loaded for chat). */
  id: string;
  budgetId?: string;
  source: ModelSource;
  contextSize: number | "auto";
  threads: number;
  useMmap: boolean;
  /** Trained for shorter vectors (Matryoshka): `dimensions` is accepted. */
  matryoshka: boolean;
  /** Requests waiting for the model beyond the one it embeds for. */
  maxQueue: number;
  queueTimeoutMs: number;
  /** Milliseconds without a request before the model is unloaded; 0: never. */
  idleTtlMs: number;
  budget: MemoryBudget;
  log: Logger;
}

interface Loaded {
  model: LlamaModel;
  context: LlamaEmbeddingContext;
  contextSize: number;
  vocabularySize: number | undefined;
  dimensions: number;
  bytes: number;
}

type State = { kind: "unloaded" } | { kind: "loading"; done: Promise<Loaded> } | { kind: "loaded"; loaded: Loaded };

export class EmbeddingEngine implements Engine, Evictable {
  private state: State = { kind: "unloaded" };
  private inFlight = 0;
  private lastUsed = Date.now();
  private lastFailure: string | undefined;
  /** A load waits for the previous unload to give its memory back. */
  private unloading: Promise<void> = Promise.resolve();
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(private readonly options: EmbeddingEngineOptions) {
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

  models(): ModelInfo[] {
    const loaded = this.state.kind === "loaded" ? this.state.loaded : undefined;
    const { contextSize } = this.options;
    return [{
      id: this.options.id, created: this.created, ownedBy: "lals", kind: "embedding", loaded: loaded !== undefined,
      contextLength: loaded?.contextSize ?? (contextSize === "auto" ? 0 : contextSize),
      ...(loaded === undefined ? {} : { memoryBytes: loaded.bytes }),
    }];
  }

  async countTokens(): Promise<number> {
    throw notChat(this.options.id);
  }

  generate(_request: ChatRequest, _signal: AbortSignal): GenerationStream {
    throw notChat(this.options.id);
  }

  async embed(request: EmbedRequest, signal: AbortSignal): Promise<EmbedResult> {
    if (request.dimensions !== undefined && !this.options.matryoshka) {
      throw new GatewayError("invalid_request", `The model '${this.options.id}' is not known to support 'dimensions' (set "matryoshka": true on its LALS_CONFIG entry if it was trained for shorter vectors).`, { param: "dimensions" });
    }
    const loaded = await this.acquire(signal);
    try {
      const sequences = request.inputs.map((input, i) => this.tokensOf(loaded, input, i, request.truncateTokens));
      const promptTokens = sequences.reduce((sum, tokens) => sum + loaded.context.calculateInputLength(tokens), 0);
      if (promptTokens > MAX_EMBED_TOKENS_PER_REQUEST) {
        throw new GatewayError("invalid_request", `The inputs hold ${promptTokens} tokens; at most ${MAX_EMBED_TOKENS_PER_REQUEST} per request on this server.`, { param: "input", reason: "input_limit" });
      }
      if (request.dimensions !== undefined && request.dimensions > loaded.dimensions) {
        throw new GatewayError("invalid_request", `'dimensions' is at most ${loaded.dimensions} for the model '${this.options.id}'.`, { param: "dimensions" });
      }
      const vectors: number[][] = [];
      for (const tokens of sequences) {
        if (signal.aborted) throw cancellationOf(signal);
        const embedding = await loaded.context.getEmbeddingFor(tokens);
        vectors.push(unitVector(embedding.vector, request.dimensions));
      }
      return { vectors, promptTokens };
    } finally {
      this.release();
    }
  }

  /** Text only: an embedding model has no chat template to render a chat with. */
  async tokenize(request: TokenizeRequest): Promise<TokenizeResult> {
    if (request.kind === "chat") throw notChat(this.options.id);
    return this.withTokenizer((tokenizer, contextLength) => {
      const tokens = tokenizer.tokenize(request.content, request);
      return { tokens, ...(request.withPieces ? { pieces: tokenizer.pieces(tokens) } : {}), contextLength };
    });
  }

  async detokenize(request: DetokenizeRequest): Promise<string> {
    return this.withTokenizer((tokenizer) => tokenizer.detokenize(request.tokens));
  }

  private async withTokenizer<T>(task: (tokenizer: ModelTokenizer, contextLength: number) => T): Promise<T> {
    const loaded = await this.acquire(new AbortController().signal);
    try {
      return task(new ModelTokenizer(loaded.model), loaded.contextSize);
    } finally {
      this.release();
    }
  }

  /** The tokens the model reads for input `index`: within the context, left-truncated when the client asked for it. */
  private tokensOf(loaded: Loaded, input: EmbedInput, index: number, truncate: number | undefined): Token[] {
    const param = `input[${index}]`;
    let tokens: Token[];
    if (typeof input === "string") {
      tokens = loaded.model.tokenize(input);
    } else {
      const bad = input.find((id) => loaded.vocabularySize !== undefined && id >= loaded.vocabularySize);
      if (bad !== undefined) throw new GatewayError("invalid_request", `${param} holds the token ${bad}, past the model's vocabulary of ${loaded.vocabularySize}.`, { param });
      tokens = input as Token[];
    }
    if (tokens.length === 0) throw new GatewayError("invalid_request", `${param} is empty.`, { param });
    // The context reads one token less than it holds, with the beginning and end tokens it adds.
    const added = loaded.context.calculateInputLength(tokens) - tokens.length;
    const fits = loaded.contextSize - 1 - added;
    const keep = truncate === undefined || truncate === -1 ? fits : Math.min(truncate, fits);
    if (truncate === undefined && tokens.length > fits) {
      throw new GatewayError("invalid_request", `${param} is ${tokens.length} tokens long; the model '${this.options.id}' embeds at most ${fits} (send truncate_prompt_tokens to keep the last ones).`, { param });
    }
    return tokens.length > keep ? tokens.slice(tokens.length - keep) : tokens;
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
      this.options.log.info({ model: this.options.id }, "embedding model unloaded");
    })();
    await this.unloading;
  }

  async dispose(): Promise<void> {
    if (this.state.kind === "loading") await this.state.done.catch(() => undefined);
    await this.unload();
  }

  /** The loaded model, counted in flight: several first requests share one load, and a failed load is retried later. */
  private async acquire(signal: AbortSignal): Promise<Loaded> {
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

  private async load(): Promise<Loaded> {
    const { budget, log, source, threads, useMmap, queueTimeoutMs } = this.options;
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
        const context = await model.createEmbeddingContext({ contextSize, batchSize: contextSize, ...(threads > 0 ? { threads } : {}) });
        const tokens = model.fileInfo.metadata.tokenizer?.ggml?.tokens;
        const dimensions = model.embeddingVectorSize;
        this.lastFailure = undefined;
        budget.changed();
        log.info({ model: this.options.id, contextSize, dimensions, mib: Math.round(bytes / 2 ** 20), ms: Math.round(performance.now() - started) }, "embedding model loaded");
        return { model, context, contextSize, vocabularySize: tokens?.length, dimensions, bytes };
      } catch (error) {
        budget.release(this.id);
        throw error;
      }
    } catch (error) {
      this.lastFailure = error instanceof Error ? error.message : String(error);
      log.error({ model: this.options.id, err: this.lastFailure }, "embedding model failed to load");
      throw new GatewayError("unavailable", `The model '${this.options.id}' failed to load: ${this.lastFailure}`, { cause: error });
    }
  }
}
