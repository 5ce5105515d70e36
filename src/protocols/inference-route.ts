// POST /v1/inference: detects the API a request speaks (detect.ts) and answers through that API's own endpoint,
// saying which in the x-lals-protocol response header; its errors take the detected protocol's shape.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { GatewayError } from "../core/gateway-error.js";
import { useErrorRenderer } from "../http/protocol-errors.js";
import type { RouteDeps } from "../http/route-deps.js";
import { anthropicError } from "./anthropic/errors.js";
import { detectProtocol, type Endpoint, type Protocol } from "./detect.js";
import { openaiError } from "./openai/errors.js";
import { responsesError } from "./openai/responses/errors.js";

export type EndpointHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export const PROTOCOL_HEADER = "x-lals-protocol";

export const inferenceRoute: FastifyPluginAsync<RouteDeps & { handlers: Partial<Record<Endpoint, EndpointHandler>> }> = async (app, { config, handlers }) => {
  const detected = new WeakMap<FastifyRequest, { protocol: Protocol; endpoint?: Endpoint }>();
  useErrorRenderer(app, (error, request) => {
    const { protocol, endpoint } = detected.get(request) ?? { protocol: config.UNIVERSAL_DEFAULT_PROTOCOL };
    if (endpoint === "openai-responses") return responsesError(error);
    return protocol === "anthropic" ? anthropicError(error, request.id) : openaiError(error);
  });

  app.post("/v1/inference", async (request, reply) => {
    const detection = detectProtocol(request.headers, request.body, config.UNIVERSAL_DEFAULT_PROTOCOL);
    detected.set(request, detection.ok ? { protocol: detection.protocol, endpoint: detection.endpoint } : { protocol: detection.protocol });
    void reply.header(PROTOCOL_HEADER, detection.protocol);
    if (!detection.ok) throw new GatewayError("invalid_request", detection.message);
    const handler = handlers[detection.endpoint];
    if (handler === undefined) {
      throw new GatewayError("invalid_request", `The request speaks the ${detection.protocol} API (${detection.reason}), which this server does not serve.`);
    }
    request.log.debug({ endpoint: detection.endpoint, reason: detection.reason }, "protocol detected");
    return handler(request, reply);
  });
};
