// POST /v1/messages: HTTP wiring only.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { newId } from "../../../core/ids.js";
import { withTicks } from "../../../core/keep-alive.js";
import type { RouteDeps } from "../../../http/route-deps.js";
import { sendGeneration } from "../../../http/send-generation.js";
import { validate, maxTokensPolicy } from "../../validate.js";
import { parseMessagesRequest } from "./parse-request.js";
import { renderMessage } from "./render-response.js";
import { renderMessageStream } from "./render-stream.js";
import { messagesRequest } from "./schema.js";

const PING_EVERY_MS = 5000;

/** The endpoint's handler, also called by /v1/inference once it has detected this protocol. */
export function messagesHandler(deps: RouteDeps) {
  const { router, config } = deps;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = validate(messagesRequest, request.body);
    const chatRequest = parseMessagesRequest(body, maxTokensPolicy(config));
    const identity = { id: newId.message(), model: chatRequest.model };
    return sendGeneration(reply, deps, {
      engine: router.resolve(chatRequest.model),
      request: chatRequest,
      stream: body.stream === true,
      renderStream: (events) => renderMessageStream(withTicks(events, PING_EVERY_MS), identity, request.id),
      render: (result) => renderMessage(result, identity),
    });
  };
}

export const messagesRoute: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.post("/v1/messages", messagesHandler(deps));
};
