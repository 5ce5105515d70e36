// The one error type of the gateway; each protocol maps its kind to a status code and body.

export type GatewayErrorKind =
  | "invalid_request"
  | "authentication"
  | "permission"
  | "not_found"
  | "request_too_large"
  | "rate_limit"
  | "overloaded"
  | "upstream"
  | "unavailable"
  | "internal";

export class GatewayError extends Error {
  readonly kind: GatewayErrorKind;
  readonly param: string | undefined;
  /** Seconds a client should wait before retrying, for rate_limit and overloaded. */
  readonly retryAfter: number | undefined;
  /** Why the request was refused, as logged and counted in metrics, where the kind alone does not say (`input_limit`, `forbidden_origin`). */
  readonly reason: string | undefined;

  constructor(kind: GatewayErrorKind, message: string, options: { param?: string; retryAfter?: number; reason?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "GatewayError";
    this.kind = kind;
    this.param = options.param;
    this.retryAfter = options.retryAfter;
    this.reason = options.reason;
  }
}

/** Turns anything thrown into a GatewayError; unknown failures become `internal` without leaking details. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError("internal", "The server failed to process the request.", { cause: error });
}
