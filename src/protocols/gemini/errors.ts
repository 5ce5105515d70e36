// GatewayError → Google's error status and body `{error:{code, message, status}}` (google.rpc.Status as JSON).
import type { GatewayError, GatewayErrorKind } from "../../core/gateway-error.js";

export interface GeminiErrorBody {
  error: { code: number; message: string; status: string };
}

// Gemini's own codes: an overloaded model is 503 UNAVAILABLE, which its SDK and CLI retry with backoff.
const MAPPING: Record<GatewayErrorKind, { status: number; name: string }> = {
  invalid_request: { status: 400, name: "INVALID_ARGUMENT" },
  authentication: { status: 401, name: "UNAUTHENTICATED" },
  permission: { status: 403, name: "PERMISSION_DENIED" },
  not_found: { status: 404, name: "NOT_FOUND" },
  request_too_large: { status: 413, name: "INVALID_ARGUMENT" },
  rate_limit: { status: 429, name: "RESOURCE_EXHAUSTED" },
  overloaded: { status: 503, name: "UNAVAILABLE" },
  upstream: { status: 502, name: "UNAVAILABLE" },
  unavailable: { status: 503, name: "UNAVAILABLE" },
  internal: { status: 500, name: "INTERNAL" },
};

export function geminiError(error: GatewayError): { status: number; body: GeminiErrorBody } {
  const { status, name } = MAPPING[error.kind];
  return { status, body: { error: { code: status, message: error.message, status: name } } };
}
