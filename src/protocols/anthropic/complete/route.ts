// POST /v1/complete (legacy Text Completions): HTTP wiring only.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { newId } from "../../../core/ids.js";
import type { RouteDeps } from "../../../http/route-deps.js";
import { sendGeneration } from "../../../http/send-generation.js";
import { validate, maxTokensPolicy } from "../../validate.js";
import { parseCompleteRequest } from "./parse-request.js";
import { renderCompletion } from "./render-response.js";
import { renderCompletionStream } from "./render-stream.js";
import { completeRequest } from "./schema.js";

/** The endpoint's handler, also called by /v1/inference once it has detected this protocol. */
export function completeHandler(deps: RouteDeps) {
  const { router, config } = deps;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = validate(completeRequest, request.body);
    const chatRequest = parseCompleteRequest(body, maxTokensPolicy(config));
    const identity = { id: newId.legacyCompletion(), model: chatRequest.model };
    return sendGeneration(reply, deps, {
      engine: router.resolve(chatRequest.model),
      request: chatRequest,
      stream: body.stream === true,
      renderStream: (events) => renderCompletionStream(events, identity, request.id),
      render: (result) => renderCompletion(result, identity),
    });
  };
}

export const completeRoute: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.post("/v1/complete", completeHandler(deps));
};
