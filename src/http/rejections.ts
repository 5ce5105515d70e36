// Requests refused to protect the server or its tenants (rate limits, bounds, origins) are logged with their reason,
// and the reason is kept on the request so that the metrics can count rejections by it.
import type { FastifyRequest } from "fastify";

const reasons = new WeakMap<FastifyRequest, string>();

/** Logs that `request` is being refused for `reason` (a short snake_case label) and remembers why. */
export function noteRejection(request: FastifyRequest, reason: string, details: Record<string, unknown> = {}): void {
  reasons.set(request, reason);
  request.log.warn({ reason, ...details }, "request rejected");
}

/** Why `request` was refused, if it was. */
export function rejectionOf(request: FastifyRequest): string | undefined {
  return reasons.get(request);
}
