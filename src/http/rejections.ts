// Requests refused to protect the server or its tenants (rate limits, bounds, origins) are logged with their reason,
// and the reason is noted on the request so that the metrics can count rejections by it.
import type { FastifyRequest } from "fastify";

/** Logs that `request` is being refused for `reason` (a short snake_case label) and notes why. */
export function noteRejection(request: FastifyRequest, reason: string, details: Record<string, unknown> = {}): void {
  request.lals.rejection = reason;
  request.log.warn({ reason, ...details }, "request rejected");
}
