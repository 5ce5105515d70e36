// POST /v1/messages/count_tokens: the exact input tokens /v1/messages would use for the same request.
import type { MessageTokensCount } from "@anthropic-ai/sdk/resources/messages";
import type { FastifyPluginAsync } from "fastify";
import type { RouteDeps } from "../../../http/route-deps.js";
import { validate, maxTokensPolicy } from "../../validate.js";
import { parseMessagesRequest } from "../messages/parse-request.js";
import { messagesBase } from "../messages/schema.js";

export const countTokensRoute: FastifyPluginAsync<RouteDeps> = async (app, { router, config }) => {
  app.post("/v1/messages/count_tokens", async (request): Promise<MessageTokensCount> => {
    const chatRequest = parseMessagesRequest(validate(messagesBase, request.body), maxTokensPolicy(config));
    return { input_tokens: await router.resolve(chatRequest.model).countTokens(chatRequest) };
  });
};
