// POST /v1/completions (legacy): HTTP wiring only.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { newId } from "../../../core/ids.js";
import type { RouteDeps } from "../../../http/route-deps.js";
import { sendGenerations } from "../../../http/send-generation.js";
import { validate, maxTokensPolicy } from "../../validate.js";
import { SYSTEM_FINGERPRINT } from "../chat-completions/route.js";
import { parseCompletionRequest } from "./parse-request.js";
import { renderCompletion } from "./render-response.js";
import { renderCompletionStream } from "./render-stream.js";
import { completionRequest } from "./schema.js";

/** The endpoint's handler, also called by /v1/inference once it has detected this protocol. */
export function completionsHandler(deps: RouteDeps) {
  const { router, config } = deps;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = validate(completionRequest, request.body);
    const { requests, prompts, n } = parseCompletionRequest(body, maxTokensPolicy(config));
    const identity = { id: newId.completion(), model: body.model, created: Math.floor(Date.now() / 1000), systemFingerprint: SYSTEM_FINGERPRINT };
    const shape = { echoed: requests.map((_, i) => (body.echo === true ? prompts[Math.floor(i / n)] : undefined)), choicesPerPrompt: n };
    const includeUsage = body.stream_options?.include_usage === true;
    return sendGenerations(reply, deps, {
      engine: router.resolve(body.model),
      requests,
      stream: body.stream === true,
      renderStream: (events) => renderCompletionStream(events, { ...identity, ...shape, includeUsage }),
      render: (results) => renderCompletion(results, identity, shape),
    });
  };
}

export const completionsRoute: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.post("/v1/completions", completionsHandler(deps));
};
