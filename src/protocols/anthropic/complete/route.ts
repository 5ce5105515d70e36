// POST /v1/complete (legacy Text Completions): HTTP wiring only.
import type { FastifyPluginAsync } from "fastify";
import { newId } from "../../../core/ids.js";
import type { RouteDeps } from "../../../http/route-deps.js";
import { sendGeneration } from "../../../http/send-generation.js";
import { validate } from "../../validate.js";
import { parseCompleteRequest } from "./parse-request.js";
import { renderCompletion } from "./render-response.js";
import { renderCompletionStream } from "./render-stream.js";
import { completeRequest } from "./schema.js";

export const completeRoute: FastifyPluginAsync<RouteDeps> = async (app, { router, config }) => {
  app.post("/v1/complete", async (request, reply) => {
    const body = validate(completeRequest, request.body);
    const chatRequest = parseCompleteRequest(body, { maxTokensLimit: config.MAX_TOKENS_LIMIT });
    const identity = { id: newId.legacyCompletion(), model: chatRequest.model };
    return sendGeneration(reply, config, {
      engine: router.resolve(chatRequest.model),
      request: chatRequest,
      stream: body.stream === true,
      renderStream: (events) => renderCompletionStream(events, identity, request.id),
      render: (result) => renderCompletion(result, identity),
    });
  });
};
