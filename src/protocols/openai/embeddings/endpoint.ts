// POST /v1/embeddings.
import { defineEndpoint } from "../../endpoint.js";
import { parseEmbeddingRequest } from "./parse-request.js";
import { renderEmbeddings } from "./render-response.js";
import { embeddingRequest } from "./schema.js";

export const embeddingsEndpoint = defineEndpoint({
  name: "openai-embeddings",
  protocol: "openai",
  method: "POST",
  paths: ["/v1/embeddings"],
  body: embeddingRequest,
  answer({ body }) {
    const request = parseEmbeddingRequest(body);
    return { type: "embed", request, render: (result) => renderEmbeddings(result, body.model, body.encoding_format ?? "float") };
  },
});
