// Installs a protocol's error rendering on a fastify scope, for route and framework errors alike.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { GatewayError } from "../core/gateway-error.js";
import { fromFrameworkError } from "./framework-error.js";
import { noteRejection, rejectionOf } from "./rejections.js";

export type ErrorRenderer = (error: GatewayError, request: FastifyRequest) => { status: number; body: unknown };

export function useErrorRenderer(app: FastifyInstance, render: ErrorRenderer): void {
  app.setErrorHandler((raw, request, reply) => {
    if (reply.raw.destroyed) {
      request.log.info("client left before the response");
      return reply;
    }
    const error = fromFrameworkError(raw);
    if (error.kind === "internal") request.log.error({ err: raw }, "request failed");
    else if (rejectionOf(request) === undefined) {
      noteRejection(request, error.reason ?? error.kind, { kind: error.kind, message: error.message, ...(error.param === undefined ? {} : { param: error.param }) });
    }
    const { status, body } = render(error, request);
    if (error.retryAfter !== undefined) void reply.header("retry-after", String(error.retryAfter));
    return reply.status(status).send(body);
  });
}
