// POST models/{model}:embedContent and :batchEmbedContents.
import { defineEndpoint } from "../../endpoint.js";
import { modelParams } from "../generate-content/schema.js";
import { methodPaths } from "../paths.js";
import { parseBatchEmbedContentsRequest, parseEmbedContentRequest } from "./parse-request.js";
import { renderBatchEmbedContents, renderEmbedContent } from "./render-response.js";
import { batchEmbedContentsRequest, embedContentRequest } from "./schema.js";

export const embedContentEndpoint = defineEndpoint({
  name: "gemini-embed-content",
  protocol: "gemini",
  method: "POST",
  paths: methodPaths("embedContent"),
  body: embedContentRequest,
  params: modelParams,
  answer: ({ body, params }) => ({ type: "embed", request: parseEmbedContentRequest(body, params.model), render: renderEmbedContent }),
});

export const batchEmbedContentsEndpoint = defineEndpoint({
  name: "gemini-batch-embed-contents",
  protocol: "gemini",
  method: "POST",
  paths: methodPaths("batchEmbedContents"),
  body: batchEmbedContentsRequest,
  params: modelParams,
  answer: ({ body, params }) => ({ type: "embed", request: parseBatchEmbedContentsRequest(body, params.model), render: renderBatchEmbedContents }),
});
