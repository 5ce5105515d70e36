// The one error type of the client: a non-2xx answer or an error event, in either protocol's shape.

export type ClientProtocol = "openai" | "anthropic";

export class LALSError extends Error {
  override readonly name = "LALSError";

  constructor(
    message: string,
    /** HTTP status; undefined for an error event inside a stream that had started. */
    readonly status: number | undefined,
    /** The protocol whose shape the error came in. */
    readonly protocol: ClientProtocol,
    /** `invalid_request_error`, `not_found_error`, `overloaded_error`, … */
    readonly type: string,
    /** OpenAI's `param`, naming the field at fault, when there is one. */
    readonly param: string | null,
    readonly requestId: string | null,
  ) {
    super(message);
  }

  /** Reads an error body of either protocol; anything else becomes an `api_error` carrying the raw text. */
  static from(status: number | undefined, body: unknown, requestId: string | null): LALSError {
    const error = (body as { error?: { message?: unknown; type?: unknown; param?: unknown } } | null)?.error;
    const anthropic = (body as { type?: unknown } | null)?.type === "error";
    if (error !== undefined && typeof error.message === "string") {
      return new LALSError(error.message, status, anthropic ? "anthropic" : "openai", String(error.type ?? "api_error"),
        typeof error.param === "string" ? error.param : null, requestId);
    }
    return new LALSError(`Unexpected answer${status === undefined ? "" : ` (HTTP ${status})`}: ${JSON.stringify(body)}`, status, "openai", "api_error", null, requestId);
  }
}
