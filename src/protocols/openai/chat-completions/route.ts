// POST /v1/chat/completions: HTTP wiring only.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { newId } from "../../../core/ids.js";
import { withKeepAliveComments } from "../../../core/sse.js";
import type { RouteDeps } from "../../../http/route-deps.js";
import { sendGenerations } from "../../../http/send-generation.js";
import { validate, maxTokensPolicy } from "../../validate.js";
import { choiceRequests } from "../sampling.js";
import { parseChatCompletionRequest } from "./parse-request.js";
import { renderChatCompletion } from "./render-response.js";
import { renderChatCompletionStream } from "./render-stream.js";
import { chatCompletionRequest } from "./schema.js";

export const SYSTEM_FINGERPRINT = "fp_lals";

/** Chat Completions has no ping event: an SSE comment every so often keeps clients' and proxies' idle timers from firing. */
const KEEP_ALIVE_MS = 10_000;

/** The endpoint's handler, also called by /v1/inference once it has detected this protocol. */
export function chatCompletionsHandler(deps: RouteDeps) {
  const { router, config } = deps;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = validate(chatCompletionRequest, request.body);
    const chatRequest = parseChatCompletionRequest(body, maxTokensPolicy(config));
    const identity = { id: newId.chatCompletion(), model: chatRequest.model, created: Math.floor(Date.now() / 1000), systemFingerprint: SYSTEM_FINGERPRINT };
    const includeUsage = body.stream_options?.include_usage === true;
    const requests = choiceRequests(chatRequest, body.n ?? 1);
    return sendGenerations(reply, deps, {
      engine: router.resolve(chatRequest.model),
      requests,
      stream: body.stream === true,
      renderStream: (events) => withKeepAliveComments(renderChatCompletionStream(events, { ...identity, includeUsage, choices: requests.length }), KEEP_ALIVE_MS),
      render: (results) => renderChatCompletion(results, identity),
    });
  };
}

export const chatCompletionsRoute: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.post("/v1/chat/completions", chatCompletionsHandler(deps));
};
