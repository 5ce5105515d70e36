// Canonical EmbedResult → Gemini's embedContent and batchEmbedContents responses.
import type { EmbedResult } from "../../../core/embed-request.js";
import type { ContentEmbedding } from "../wire-types.js";

export const renderEmbedContent = (result: EmbedResult): { embedding: ContentEmbedding } => ({ embedding: { values: result.vectors[0] ?? [] } });

export const renderBatchEmbedContents = (result: EmbedResult): { embeddings: ContentEmbedding[] } => ({ embeddings: result.vectors.map((values) => ({ values })) });
