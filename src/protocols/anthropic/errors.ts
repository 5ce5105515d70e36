// GatewayError → Anthropic's error status and body `{type:"error", error:{type,message}, request_id}`.
import type { GatewayError, GatewayErrorKind } from "../../core/gateway-error.js";

export interface AnthropicErrorBody {
  type: "error";
  error: { type: string; message: string };
  request_id: string | null;
}

// Anthropic's documented codes; `unavailable` (model still loading) is a 503, which its SDK retries.
const MAPPING: Record<GatewayErrorKind, { status: number; type: string }> = {
  invalid_request: { status: 400, type: "invalid_request_error" },
  authentication: { status: 401, type: "authentication_error" },
  permission: { status: 403, type: "permission_error" },
  not_found: { status: 404, type: "not_found_error" },
  request_too_large: { status: 413, type: "request_too_large" },
  rate_limit: { status: 429, type: "rate_limit_error" },
  overloaded: { status: 529, type: "overloaded_error" },
  upstream: { status: 502, type: "api_error" },
  unavailable: { status: 503, type: "api_error" },
  internal: { status: 500, type: "api_error" },
};

export function anthropicError(error: GatewayError, requestId: string | null = null): { status: number; body: AnthropicErrorBody } {
  const { status, type } = MAPPING[error.kind];
  return { status, body: { type: "error", error: { type, message: error.message }, request_id: requestId } };
}
