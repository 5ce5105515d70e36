// The wire request of POST /v1/embeddings: OpenAI's fields, and vLLM's `truncate_prompt_tokens`.
import { z } from "zod";
import { LIMIT_PARAMS, modelField } from "../../bounded-fields.js";

/** OpenAI's own bound: at most 2,048 inputs per request. */
export const MAX_EMBEDDING_INPUTS = 2048;
/** Token ids across all token-array inputs of one request (text inputs are bounded by the body's characters). */
export const MAX_EMBEDDING_TOKEN_IDS = 1 << 19;

const tokenIds = z.array(z.number().int().min(0)).min(1, { message: "an input must not be empty" });
const text = z.string().min(1, { message: "an input must not be empty" });

/** A string, strings, token ids, or lists of token ids, each kind bounded as OpenAI bounds them. */
const inputField = z.union([
  text,
  z.array(text).min(1, { message: "must hold at least one input" }),
  tokenIds,
  z.array(tokenIds).min(1, { message: "must hold at least one input" }),
], { message: "must be a non-empty string, a list of them, a list of token ids, or a list of such lists" }).superRefine((input, ctx) => {
  if (typeof input === "string") return;
  const nested = input.length > 0 && Array.isArray(input[0]);
  if (nested || typeof input[0] === "string") {
    if (input.length > MAX_EMBEDDING_INPUTS) ctx.addIssue({ code: "custom", message: `at most ${MAX_EMBEDDING_INPUTS} inputs per request`, params: LIMIT_PARAMS });
  }
  const ids = nested ? (input as number[][]).reduce((sum, tokens) => sum + tokens.length, 0) : typeof input[0] === "number" ? input.length : 0;
  if (ids > MAX_EMBEDDING_TOKEN_IDS) ctx.addIssue({ code: "custom", message: `at most ${MAX_EMBEDDING_TOKEN_IDS} token ids per request on this server`, params: LIMIT_PARAMS });
});

export const embeddingRequest = z.looseObject({
  model: modelField,
  input: inputField,
  encoding_format: z.enum(["float", "base64"]).nullish(),
  dimensions: z.number().int().min(1).nullish(),
  user: z.string().nullish(),
  /** vLLM's: keep only the last k tokens of a longer input; -1 keeps as many as the model reads. */
  truncate_prompt_tokens: z.union([z.literal(-1), z.number().int().min(1)]).nullish(),
});

export type EmbeddingRequestBody = z.infer<typeof embeddingRequest>;
