// Ollama embedding requests → canonical EmbedRequest; undefined when there is nothing to embed (the request loads
// the model only).
import type { EmbedRequest } from "../../../core/embed-request.js";
import type { EmbedBody, EmbeddingsBody } from "./schema.js";

/** Ollama truncates by default. Canonical truncation keeps as many tokens as fit (-1). */
const FIT = -1;

export function parseEmbedRequest(body: EmbedBody): EmbedRequest | undefined {
  const inputs = typeof body.input === "string" ? (body.input === "" ? [] : [body.input]) : body.input ?? [];
  if (inputs.length === 0) return undefined;
  return {
    model: body.model,
    inputs,
    ...(body.dimensions == null ? {} : { dimensions: body.dimensions }),
    ...(body.truncate === false ? {} : { truncateTokens: FIT }),
  };
}

export function parseEmbeddingsRequest(body: EmbeddingsBody): EmbedRequest | undefined {
  if ((body.prompt ?? "") === "") return undefined;
  return { model: body.model, inputs: [body.prompt!], truncateTokens: FIT };
}
