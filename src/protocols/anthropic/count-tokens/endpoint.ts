// POST /v1/messages/count_tokens: the exact input tokens /v1/messages would use for the same request.
import type { MessageTokensCount } from "@anthropic-ai/sdk/resources/messages";
import { defineEndpoint } from "../../endpoint.js";
import { parseMessagesRequest } from "../messages/parse-request.js";
import { messagesBase } from "../messages/schema.js";

export const countTokensEndpoint = defineEndpoint({
  name: "anthropic-count-tokens",
  protocol: "anthropic",
  method: "POST",
  paths: ["/v1/messages/count_tokens"],
  body: messagesBase,
  answer: ({ body, options }) => ({
    type: "count_tokens",
    request: parseMessagesRequest(body, options),
    render: (count): MessageTokensCount => ({ input_tokens: count }),
  }),
});
