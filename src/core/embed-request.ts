// The canonical embeddings request and its result: what every protocol's embeddings endpoint parses into.

/** One input: text, or token ids of the model's vocabulary. */
export type EmbedInput = string | number[];

export interface EmbedRequest {
  model: string;
  /** Embedded each on its own; the result's vectors are in the same order. */
  inputs: EmbedInput[];
  /** Keep this many leading dimensions and re-normalise (models trained for it: Matryoshka embeddings). */
  dimensions?: number;
  /** Keep only the last this many tokens of a longer input (vLLM's `truncate_prompt_tokens`); -1: as many as fit. Absent: a longer input is refused. */
  truncateTokens?: number;
  /** The caller's tenant. */
  partition?: string;
}

export interface EmbedResult {
  /** Unit-length vectors, one per input, in input order. */
  vectors: number[][];
  /** Tokens the model read, over every input. */
  promptTokens: number;
}

/** A unit-length copy of the first `dimensions` components of `vector` (all of them when absent). */
export function unitVector(vector: ArrayLike<number>, dimensions = vector.length): number[] {
  const kept = Array.from({ length: Math.min(dimensions, vector.length) }, (_, i) => vector[i]!);
  const norm = Math.sqrt(kept.reduce((sum, x) => sum + x * x, 0));
  return norm === 0 ? kept : kept.map((x) => x / norm);
}
