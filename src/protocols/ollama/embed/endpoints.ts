// POST /api/embed and the legacy POST /api/embeddings.
import { defineEndpoint } from "../../endpoint.js";
import { keepAliveAnswer } from "../keep-alive.js";
import { replyContext } from "../reply-context.js";
import { parseEmbeddingsRequest, parseEmbedRequest } from "./parse-request.js";
import { renderEmbed, renderEmbeddings, renderEmbedLoad } from "./render-response.js";
import { embeddingsRequest, embedRequest } from "./schema.js";

export const embedEndpoint = defineEndpoint({
  name: "ollama-embed",
  protocol: "ollama",
  method: "POST",
  paths: ["/api/embed"],
  body: embedRequest,
  answer({ body }) {
    const context = replyContext(body.model);
    const request = parseEmbedRequest(body);
    if (request === undefined) return keepAliveAnswer(body.model, body.keep_alive, () => renderEmbedLoad(context));
    return { type: "embed", request, render: (result) => renderEmbed(result, context) };
  },
});

export const embeddingsEndpoint = defineEndpoint({
  name: "ollama-embeddings",
  protocol: "ollama",
  method: "POST",
  paths: ["/api/embeddings"],
  body: embeddingsRequest,
  answer({ body }) {
    const request = parseEmbeddingsRequest(body);
    if (request === undefined) return keepAliveAnswer(body.model, body.keep_alive, () => ({ embedding: [] }));
    return { type: "embed", request, render: renderEmbeddings };
  },
});
