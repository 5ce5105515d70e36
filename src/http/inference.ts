// POST /v1/inference: detects the API a request speaks (protocols/detect.ts) and answers through that API's own
// endpoint record; its errors take the detected protocol's shape (the configured default's before detection).
import type { FastifyInstance } from "fastify";
import { GatewayError } from "../core/gateway-error.js";
import { detectProtocol } from "../protocols/detect.js";
import type { Endpoint } from "../protocols/endpoint.js";
import type { RouteDeps } from "./route-deps.js";
import { answeredBy, answerWith, enabledProtocols } from "./serve-endpoint.js";

/** Echoed so a client can see which API answered. */
export const PROTOCOL_HEADER = "x-lals-protocol";

export function serveInference(app: FastifyInstance, endpoints: readonly Endpoint[], deps: RouteDeps): void {
  const fallback = deps.config.UNIVERSAL_DEFAULT_PROTOCOL;
  const enabled = enabledProtocols(deps.config);
  // Errors before detection (keys, limits, bad JSON) take the configured default protocol's shape.
  app.post("/v1/inference", { config: { protocol: fallback } }, async (request, reply) => {
    const detection = detectProtocol(request.headers, request.body, fallback);
    request.lals.protocol = detection.protocol;
    void reply.header(PROTOCOL_HEADER, detection.protocol);
    if (!detection.ok) throw new GatewayError("invalid_request", detection.message);
    const endpoint = endpoints.find((e) => e.name === detection.endpoint);
    if (endpoint === undefined) {
      throw new GatewayError("invalid_request", `The request speaks the ${detection.protocol} API (${detection.reason}), which this server does not serve.`);
    }
    request.log.debug({ endpoint: detection.endpoint, reason: detection.reason }, "protocol detected");
    answeredBy(request, endpoint, enabled);
    return answerWith(endpoint, request, reply, deps, detection.params);
  });
}
