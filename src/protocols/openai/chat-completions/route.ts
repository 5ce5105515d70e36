// POST /v1/chat/completions: HTTP wiring only.
import { Readable } from "node:stream";
import type { FastifyPluginAsync } from "fastify";
import { collect } from "../../../core/collect.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { newId } from "../../../core/ids.js";
import { SSE_HEADERS } from "../../../core/sse.js";
import { clientSignal } from "../../../http/client-signal.js";
import { openEventStream } from "../../../http/open-event-stream.js";
import type { RouteDeps } from "../../../http/route-deps.js";
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
    const engine = router.resolve(chatRequest.model);
    const identity = { id: newId.chatCompletion(), model: chatRequest.model, created: Math.floor(Date.now() / 1000), systemFingerprint: SYSTEM_FINGERPRINT };
    const signal = clientSignal(reply);

    if (body.stream === true) {
      if (!config.ENABLE_STREAMING) throw new GatewayError("invalid_request", "Streaming is disabled on this server (ENABLE_STREAMING=false).", { param: "stream" });
      const events = await openEventStream(engine.generate(chatRequest, signal));
      const frames = renderChatCompletionStream(events, { ...identity, includeUsage: body.stream_options?.include_usage === true });
      return reply.headers(SSE_HEADERS).send(Readable.from(frames));
    }
    return renderChatCompletion(await collect(engine.generate(chatRequest, signal)), identity);
  });
};
