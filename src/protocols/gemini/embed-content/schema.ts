// The wire requests of models/{model}:embedContent and :batchEmbedContents.
import { z } from "zod";
import { LIMITS } from "../../limits.js";
import { content } from "../generate-content/schema.js";
import { protoObject, repeated } from "../proto-json.js";

/** Gemini's own bound: at most 100 requests in one batch. */
export const MAX_BATCH_EMBED_REQUESTS = 100;

export const EMBED_CONTENT_FIELDS = {
  /** In a batch, each request names its model (`models/…`), which must be the path's. */
  model: z.string().min(1).max(LIMITS.modelName + "models/".length).nullish(),
  content,
  taskType: z.string().max(64).nullish(),
  title: z.string().nullish(),
  outputDimensionality: z.number().int().min(1).nullish(),
};

export const embedContentRequest = protoObject(EMBED_CONTENT_FIELDS);

export const batchEmbedContentsRequest = protoObject({
  requests: repeated(embedContentRequest, MAX_BATCH_EMBED_REQUESTS, "requests", 1),
});

export type EmbedContentRequestBody = z.infer<typeof embedContentRequest>;
export type BatchEmbedContentsRequestBody = z.infer<typeof batchEmbedContentsRequest>;
