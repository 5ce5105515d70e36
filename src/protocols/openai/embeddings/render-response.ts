// Canonical EmbedResult → OpenAI's embeddings response, typed against the official SDK's own type.
import type { CreateEmbeddingResponse } from "openai/resources/embeddings";
import type { EmbedResult } from "../../../core/embed-request.js";

export type EncodingFormat = "float" | "base64";

/** The vector as the SDK decodes it: little-endian float32 bytes, in base64. */
export function base64Vector(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
  return bytes.toString("base64");
}

/** A base64 vector is a string where the SDK's type says number[]: the SDK itself decodes it back into numbers. */
type WireEmbeddingResponse = Omit<CreateEmbeddingResponse, "data"> & {
  data: Array<Omit<CreateEmbeddingResponse["data"][number], "embedding"> & { embedding: number[] | string }>;
};

export function renderEmbeddings(result: EmbedResult, model: string, format: EncodingFormat): WireEmbeddingResponse {
  return {
    object: "list",
    data: result.vectors.map((vector, index) => ({ object: "embedding", index, embedding: format === "base64" ? base64Vector(vector) : vector })),
    model,
    usage: { prompt_tokens: result.promptTokens, total_tokens: result.promptTokens },
  };
}
