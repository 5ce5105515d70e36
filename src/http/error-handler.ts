// Every error, from a route or from fastify itself (bad JSON, a body too large), is answered in the shape of the
// endpoint that was asked, or of the client's protocol where no endpoint answers (unknown paths).
import type { FastifyInstance, FastifyReply, FastifyServerOptions } from "fastify";
import { GatewayError } from "../core/gateway-error.js";
import { clientProtocol, PROTOCOL_ERRORS, type EnabledProtocols } from "../protocols/errors.js";
import { fromFrameworkError } from "./framework-error.js";
import { noteRejection } from "./rejections.js";
import { errorShapeFor } from "./serve-endpoint.js";

export function answerErrors(app: FastifyInstance, enabled: EnabledProtocols): void {
  app.setErrorHandler((raw, request, reply) => {
    if (reply.raw.destroyed) {
      request.log.info("client left before the response");
      return reply;
    }
    const error = fromFrameworkError(raw);
    if (error.kind === "internal") request.log.error({ err: raw }, "request failed");
    else if (request.lals.rejection === undefined) {
      noteRejection(request, error.reason ?? error.kind, { kind: error.kind, message: error.message, ...(error.param === undefined ? {} : { param: error.param }) });
    }
    const { status, body } = errorShapeFor(request, enabled)(error, request.id);
    if (error.retryAfter !== undefined) void reply.header("retry-after", String(error.retryAfter));
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const { status, body } = errorShapeFor(request, enabled)(new GatewayError("not_found", `No endpoint ${request.method} ${request.url}.`), request.id);
    return reply.status(status).send(body);
  });
}

/**
 * A URL fastify's router cannot take (malformed, or a path parameter past its 100 characters) is refused before any
 * hook runs: answered here in the client's protocol's shape, without echoing the URL back.
 */
export function frameworkErrors(enabled: EnabledProtocols): NonNullable<FastifyServerOptions["frameworkErrors"]> {
  return (raw, request, reply) => {
    const error = new GatewayError("invalid_request", "The URL is malformed, or a path parameter in it is too long.", { reason: "input_limit" });
    request.log.warn({ reason: error.reason, code: raw.code }, "request rejected");
    const { status, body } = PROTOCOL_ERRORS[clientProtocol(request.headers, enabled, request.url ?? "")](error, request.id);
    void (reply as FastifyReply).status(status).send(body);
  };
}
