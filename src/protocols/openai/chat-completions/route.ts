// POST /v1/chat/completions: HTTP wiring only.
import type { FastifyPluginAsync } from "fastify";
import { newId } from "../../../core/ids.js";
import type { RouteDeps } from "../../../http/route-deps.js";
import { sendGeneration } from "../../../http/send-generation.js";
import { validate } from "../../validate.js";
import { parseChatCompletionRequest } from "./parse-request.js";
import { renderChatCompletion } from "./render-response.js";
import { renderChatCompletionStream } from "./render-stream.js";
import { chatCompletionRequest } from "./schema.js";

export const SYSTEM_FINGERPRINT = "fp_lals";

export const chatCompletionsRoute: FastifyPluginAsync<RouteDeps> = async (app, { router, config }) => {
  app.post("/v1/chat/completions", async (request, reply) => {
    const body = validate(chatCompletionRequest, request.body);
    const chatRequest = parseChatCompletionRequest(body, { maxTokensLimit: config.MAX_TOKENS_LIMIT });
    const identity = { id: newId.chatCompletion(), model: chatRequest.model, created: Math.floor(Date.now() / 1000), systemFingerprint: SYSTEM_FINGERPRINT };
    const includeUsage = body.stream_options?.include_usage === true;
    return sendGeneration(reply, config, {
      engine: router.resolve(chatRequest.model),
      request: chatRequest,
      stream: body.stream === true,
      renderStream: (events) => renderChatCompletionStream(events, { ...identity, includeUsage }),
      render: (result) => renderChatCompletion(result, identity),
    });
  });
};
