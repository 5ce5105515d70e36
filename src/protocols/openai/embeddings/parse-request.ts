// OpenAI embeddings request → canonical EmbedRequest.
import type { EmbedInput, EmbedRequest } from "../../../core/embed-request.js";
import type { EmbeddingRequestBody } from "./schema.js";

/** One input or a list of them, as the list the engine embeds in order. */
function inputsOf(input: EmbeddingRequestBody["input"]): EmbedInput[] {
  if (typeof input === "string") return [input];
  if (typeof input[0] === "number") return [input as number[]];
  return input as EmbedInput[];
}

export function parseEmbeddingRequest(body: EmbeddingRequestBody): EmbedRequest {
  return {
    model: body.model,
    inputs: inputsOf(body.input),
    ...(body.dimensions == null ? {} : { dimensions: body.dimensions }),
    ...(body.truncate_prompt_tokens == null ? {} : { truncateTokens: body.truncate_prompt_tokens }),
  };
}
