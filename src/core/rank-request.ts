// The canonical rerank request and its result: what every protocol's rerank endpoint parses into.

export interface RankRequest {
  model: string;
  query: string;
  /** Scored each against the query; the result's scores are in the same order. */
  documents: string[];
  /** Keep only the last this many tokens of a longer document (vLLM's `truncate_prompt_tokens`); -1: as many as fit. Absent: a longer document is refused. */
  truncateTokens?: number;
  /** The caller's tenant. */
  partition?: string;
}

export interface RankResult {
  /** The relevance of each document to the query, between 0 and 1, in document order. */
  scores: number[];
  /** Tokens the model read, over every query and document pair. */
  promptTokens: number;
}
