// POST /v1/rerank (also /rerank and /v2/rerank, as vLLM serves it): llama-server's and vLLM's extension beside the
// OpenAI surface, answered in OpenAI's error shape.
import { defineEndpoint } from "../../endpoint.js";
import { parseRerankRequest } from "./parse-request.js";
import { renderRerank } from "./render-response.js";
import { rerankRequest } from "./schema.js";

export const rerankEndpoint = defineEndpoint({
  name: "openai-rerank",
  protocol: "openai",
  method: "POST",
  paths: ["/v1/rerank", "/rerank", "/v2/rerank"],
  body: rerankRequest,
  answer({ body }) {
    const request = parseRerankRequest(body);
    return {
      type: "rank",
      request,
      render: (result) => renderRerank(result, {
        model: body.model,
        ...(body.return_documents === true ? { documents: request.documents } : {}),
        ...(body.top_n == null ? {} : { topN: body.top_n }),
      }),
    };
  },
});
