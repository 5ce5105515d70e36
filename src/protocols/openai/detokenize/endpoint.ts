// POST /detokenize: llama-server's extension beside the OpenAI surface, answered in OpenAI's error shape.
import { defineEndpoint } from "../../endpoint.js";
import { detokenizeRequest } from "./schema.js";

export const detokenizeEndpoint = defineEndpoint({
  name: "openai-detokenize",
  protocol: "openai",
  method: "POST",
  paths: ["/detokenize"],
  body: detokenizeRequest,
  answer: ({ body }) => ({
    type: "detokenize",
    request: { ...(body.model == null ? {} : { model: body.model }), tokens: body.tokens },
    render: (content) => ({ content }),
  }),
});
