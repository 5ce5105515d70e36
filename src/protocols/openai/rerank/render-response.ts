// Canonical RankResult → the rerank response llama-server and vLLM give: results sorted by relevance, best first.
import type { RankResult } from "../../../core/rank-request.js";
import { newId } from "../../../core/ids.js";

export interface RerankResult {
  /** The document's position in the request. */
  index: number;
  relevance_score: number;
  /** Only when the request asked for it (`return_documents`), as Cohere's v2 gives it. */
  document?: { text: string };
}

export interface RerankResponse {
  id: string;
  model: string;
  results: RerankResult[];
  usage: { prompt_tokens: number; total_tokens: number };
}

export interface RerankRenderOptions {
  model: string;
  /** The documents as sent, to return with their results; absent: not returned. */
  documents?: readonly string[];
  /** Keep the best this many; absent or 0: all. */
  topN?: number;
}

export function renderRerank(result: RankResult, { model, documents, topN }: RerankRenderOptions): RerankResponse {
  // Ties keep document order: the sort is stable.
  const ranked = result.scores.map((score, index) => ({ index, score })).sort((a, b) => b.score - a.score);
  const kept = topN === undefined || topN === 0 ? ranked : ranked.slice(0, topN);
  return {
    id: newId.rerank(),
    model,
    results: kept.map(({ index, score }) => ({
      index,
      relevance_score: score,
      ...(documents === undefined ? {} : { document: { text: documents[index]! } }),
    })),
    usage: { prompt_tokens: result.promptTokens, total_tokens: result.promptTokens },
  };
}
