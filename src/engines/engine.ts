// What every engine offers the HTTP layer: its models, token counts, and a stream of canonical events.
import type { ChatRequest } from "../core/chat-request.js";
import type { EmbedRequest, EmbedResult } from "../core/embed-request.js";
import type { RankRequest, RankResult } from "../core/rank-request.js";
import type { GenerationStream } from "../core/generation-stream.js";
import type { DetokenizeRequest, TokenizeRequest, TokenizeResult } from "../core/tokenize-request.js";

export interface ModelInfo {
  id: string;
  /** Unix seconds. */
  created: number;
  ownedBy: string;
  contextLength: number;
  /** Set on an alias: the served model it stands for. */
  aliasOf?: string;
  /** Set on models loaded on demand: whether it is in memory now. */
  loaded?: boolean;
  /** Memory a local model holds while loaded (weights and context, as estimated). */
  memoryBytes?: number;
  /** A local model's prompt cache, while loaded and enabled. */
  promptCache?: PromptCacheStats;
  /** `embedding`: serves embeddings only, `reranker`: reranking only; both refuse chat. Absent: a chat model. */
  kind?: ModelKind;
  /** Set on models loaded on demand while loaded: when they unload if left idle (ms since the epoch). */
  expiresAt?: number;
  /** A local model's GGUF file, filled in only when an answer asks for it (`models` with `withFiles`). */
  file?: ModelFileDetails;
}

/** A local model's GGUF file, for the APIs that describe it (Ollama's /api/tags and /api/show). */
export interface ModelFileDetails {
  path: string;
  sizeBytes: number;
  /** ms since the epoch. */
  modifiedAt: number;
  /** sha256 (hex) of the file's path, size and modification time: stable while the file is, without reading gigabytes. */
  digest: string;
  /** general.architecture: `qwen3`, `llama`, … */
  architecture?: string;
  /** general.size_label (`0.6B`), or one made from the parameter count. */
  sizeLabel?: string;
  parameterCount?: number;
  /** The file type as llama.cpp names it: `Q8_0`, `Q4_K_M`, `F16`, … */
  quantization?: string;
  /** tokenizer.chat_template. */
  chatTemplate?: string;
  /** The GGUF metadata as dotted keys (`qwen3.context_length`), arrays longer than 16 left out (the vocabulary). */
  metadata: Record<string, unknown>;
}

export type ModelKind = "chat" | "embedding" | "reranker";

export interface PromptCacheStats {
  /** When the cache started (ms since the epoch): the counts below start again from 0 with a new one. */
  since: number;
  /** Saved states now on disk, and their size. */
  entries: number;
  bytes: number;
  /** Since the model loaded: states saved, and loaded back into a slot. */
  saves: number;
  loads: number;
}

export type EngineHealth = { state: "loading" } | { state: "ready" } | { state: "failed"; reason: string };

/** How busy an engine is, for metrics. */
export interface EngineOccupancy {
  slots: number;
  busySlots: number;
  queued: number;
}

/** Several generations answering one client request (OpenAI's `n`, a list of prompts); one object per client request. */
export interface GenerationGroup {
  readonly size: number;
}

/** Required by `generate`, so that no engine or wrapper can drop what the caller asked for. */
export interface GenerateOptions {
  /** Members of one group are admitted together: every slot they need at once, or none. */
  group: GenerationGroup | undefined;
}

/** A generation that is admitted alone. */
export const ALONE: GenerateOptions = { group: undefined };

/**
 * Admission and slot lifetime, the contract every engine keeps:
 * - a request is admitted with all the slots its group needs at once, or refused at once (more than the engine has)
 *   or after waiting in line (`overloaded`) — never half-admitted;
 * - its slot is released when its generation ends, not when the consumer has read the last event: events wait in a
 *   bounded buffer, and a consumer that falls that far behind has its generation cancelled;
 * - admission is explicit: the stream's `admitted` settles once the request holds its slot (its first event is then
 *   `start`), or with the refusal; nothing reaches the client before;
 * - aborting `signal` cancels the generation and frees the slot at once; the abort's reason is a CancelCause
 *   (core/cancel-cause.ts) and nothing else, and a cause that is `reported` ends the stream with its error event.
 */
export interface Engine {
  health(): EngineHealth;
  occupancy(): EngineOccupancy;
  models(): ModelInfo[];
  /** Exactly the input tokens `generate` would report for the same request. */
  countTokens(request: ChatRequest): Promise<number>;
  /** Streams the reply; aborting `signal` stops generation and frees whatever the request held. */
  generate(request: ChatRequest, signal: AbortSignal, options: GenerateOptions): GenerationStream;
  /** Present on engines whose model can embed: unit-length vectors in input order; aborting `signal` stops between inputs. */
  embed?(request: EmbedRequest, signal: AbortSignal): Promise<EmbedResult>;
  /** Present on engines whose model reranks: each document's relevance to the query in document order; aborting `signal` stops between documents. */
  rank?(request: RankRequest, signal: AbortSignal): Promise<RankResult>;
  /** Present on engines that hold their model's tokenizer: text as tokens, or a chat as exactly the prompt tokens `generate` would read. */
  tokenize?(request: TokenizeRequest): Promise<TokenizeResult>;
  /** With `tokenize`: tokens back as text; an id outside the vocabulary is a 400 naming it. */
  detokenize?(request: DetokenizeRequest): Promise<string>;
  /** Loads the model and restarts its idle clock (`seconds` ≠ 0), or unloads it now (0); absent on engines that are always loaded. */
  keepAlive?(seconds: number): Promise<void>;
}
