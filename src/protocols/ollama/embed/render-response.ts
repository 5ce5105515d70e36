// Canonical EmbedResult → Ollama's embedding replies.
import type { EmbeddingsResponse, EmbedResponse } from "ollama";
import type { EmbedResult } from "../../../core/embed-request.js";
import { nanoseconds } from "../final-stats.js";
import type { ReplyContext } from "../reply-context.js";

/** Measured from the request's arrival to now; the engine reports no separate load time for embeddings. */
export function renderEmbed(result: EmbedResult, context: ReplyContext): EmbedResponse {
  return {
    model: context.model,
    embeddings: result.vectors,
    total_duration: nanoseconds(context.clock.monotonic() - context.requestStart),
    load_duration: 0,
    prompt_eval_count: result.promptTokens,
  };
}

/** What a request with nothing to embed gets once the model is loaded. */
export const renderEmbedLoad = (context: ReplyContext): Pick<EmbedResponse, "model" | "embeddings"> => ({ model: context.model, embeddings: [] });

export const renderEmbeddings = (result: EmbedResult): EmbeddingsResponse => ({ embedding: result.vectors[0] ?? [] });
