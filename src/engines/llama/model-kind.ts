// Whether a GGUF is an embedding model or a reranker, from its metadata alone: a pooling type, or an encoder-only architecture.
import { readGgufFileInfo } from "node-llama-cpp";
import type { ModelKind } from "../engine.js";

/** Architectures llama.cpp only runs as encoders: they have no language-model head to chat with. */
const ENCODER_ARCHITECTURES = new Set(["bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "jina-bert-v3", "neo-bert", "modern-bert", "t5encoder", "gemma-embedding"]);

/** llama.cpp's `llama_pooling_type`: 0 none (per token: a generative model), 1 mean, 2 cls, 3 last, 4 rank (a reranker). */
const EMBEDDING_POOLING = new Set([1, 2, 3]);
const NO_POOLING = 0;
const LAST_POOLING = 3;
const RANK_POOLING = 4;

/**
 * Whether an input's vector is its last token's output under causal attention (last-token pooling, or none): then a
 * KV cache that holds the start of an input can be built on. Mean and CLS pooling and bidirectional encoders read every token.
 */
export function embedsFromLastToken(metadata: Record<string, unknown>): boolean {
  const architecture = architectureOf(metadata);
  if (architecture === undefined || ENCODER_ARCHITECTURES.has(architecture)) return false;
  const hyper = metadata[architecture] as Hyperparameters | undefined;
  const pooling = hyper?.pooling_type ?? NO_POOLING;
  return causalWithFullWindow(hyper) && (pooling === NO_POOLING || pooling === LAST_POOLING);
}

/** `general.architecture`, when it is a string. */
function architectureOf(metadata: Record<string, unknown>): string | undefined {
  const architecture = (metadata.general as { architecture?: unknown } | undefined)?.architecture;
  return typeof architecture === "string" ? architecture : undefined;
}

type Hyperparameters = { pooling_type?: unknown; attention?: { causal?: unknown; sliding_window?: unknown } };

/**
 * Causal attention over the whole input: a sliding window lets the cache reuse cells that slid out of it, so a held
 * start of an input may no longer be whole.
 */
function causalWithFullWindow(hyper: Hyperparameters | undefined): boolean {
  return hyper?.attention?.causal !== false && hyper?.attention?.sliding_window === undefined;
}

/** Architectures whose rank pooling scores the last token rather than the first (llama.cpp's `build_pooling`). */
const LAST_TOKEN_RANKERS = new Set(["qwen3", "qwen3vl"]);

/** Whether a reranker scores a pair from its last token under causal attention (Qwen3-Reranker): then a held start of the pair can be built on. */
export function ranksFromLastToken(metadata: Record<string, unknown>): boolean {
  const architecture = architectureOf(metadata);
  if (architecture === undefined || !LAST_TOKEN_RANKERS.has(architecture)) return false;
  const hyper = metadata[architecture] as Hyperparameters | undefined;
  return causalWithFullWindow(hyper) && hyper?.pooling_type === RANK_POOLING;
}

/** `embedding` for an embedding model's metadata (`general.architecture`, `<arch>.pooling_type`), `reranker` for rank pooling, else `chat`. */
export function kindFromMetadata(metadata: Record<string, unknown>): ModelKind {
  const architecture = architectureOf(metadata);
  if (architecture === undefined) return "chat";
  const pooling = (metadata[architecture] as { pooling_type?: unknown } | undefined)?.pooling_type;
  if (typeof pooling === "number") return pooling === RANK_POOLING ? "reranker" : EMBEDDING_POOLING.has(pooling) ? "embedding" : "chat";
  return ENCODER_ARCHITECTURES.has(architecture) ? "embedding" : "chat";
}

/** The kind of the GGUF at `path`, reading its header only. */
export async function detectModelKind(path: string): Promise<ModelKind> {
  const info = await readGgufFileInfo(path, { readTensorInfo: false, ignoreKeys: ["tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.ggml.token_type", "tokenizer.ggml.scores"] });
  return kindFromMetadata(info.metadata as unknown as Record<string, unknown>);
}
