// The wire request of POST /v1/rerank: the Jina and Cohere shape that llama-server and vLLM serve, with vLLM's
// `truncate_prompt_tokens`.
import { z } from "zod";
import { LIMIT_PARAMS, modelField } from "../../bounded-fields.js";

/** Documents per request: Cohere's documented 1,000. */
export const MAX_RERANK_DOCUMENTS = 1000;
/** Characters of the query: it is read again with every document. */
export const MAX_RERANK_QUERY_CHARS = 1 << 15;
/** Characters the model reads over every pair (the query once per document, and each document). */
export const MAX_RERANK_PAIR_CHARS = 1 << 21;

const text = z.string().min(1, { message: "a document must not be empty" });
const document = z.union([text, z.looseObject({ text })], { message: "must be a non-empty string or an object with a non-empty `text`" });

export const rerankRequest = z.looseObject({
  model: modelField,
  query: z.string().min(1, { message: "must not be empty" }).max(MAX_RERANK_QUERY_CHARS, { message: `at most ${MAX_RERANK_QUERY_CHARS} characters on this server` }),
  documents: z.array(document).min(1, { message: "must hold at least one document" })
    .max(MAX_RERANK_DOCUMENTS, { message: `at most ${MAX_RERANK_DOCUMENTS} documents per request` }),
  /** The best this many results; absent or 0 (vLLM's default): every document. */
  top_n: z.number().int().min(0).nullish(),
  return_documents: z.boolean().nullish(),
  /** vLLM's: keep only the last k tokens of a longer document; -1 keeps as many as fit beside the query. */
  truncate_prompt_tokens: z.union([z.literal(-1), z.number().int().min(1)]).nullish(),
}).superRefine((body, ctx) => {
  const chars = body.documents.reduce((sum, d) => sum + body.query.length + (typeof d === "string" ? d : d.text).length, 0);
  if (chars > MAX_RERANK_PAIR_CHARS) {
    ctx.addIssue({ code: "custom", path: ["documents"], message: `the query and documents make ${chars} characters to read (the query once per document); at most ${MAX_RERANK_PAIR_CHARS} per request on this server`, params: LIMIT_PARAMS });
  }
});

export type RerankRequestBody = z.infer<typeof rerankRequest>;
