// POST /tokenize: llama-server's and vLLM's extension beside the OpenAI surface, answered in OpenAI's error shape.
import { defineEndpoint } from "../../endpoint.js";
import { parseTokenizeRequest } from "./parse-request.js";
import { renderTokenize } from "./render-response.js";
import { tokenizeRequest } from "./schema.js";

export const tokenizeEndpoint = defineEndpoint({
  name: "openai-tokenize",
  protocol: "openai",
  method: "POST",
  paths: ["/tokenize"],
  body: tokenizeRequest,
  answer({ body, options }) {
    const request = parseTokenizeRequest(body, options);
    return { type: "tokenize", request, render: (result) => renderTokenize(result, request.kind) };
  },
});
