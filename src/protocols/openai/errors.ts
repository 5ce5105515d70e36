// GatewayError → OpenAI's error status and body `{error:{message,type,param,code}}`.
import type { GatewayError, GatewayErrorKind } from "../../core/gateway-error.js";
import { CHAT_COMPLETIONS_NAMES, wireParam, type WireNames } from "../wire-param.js";

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const MAPPING: Record<GatewayErrorKind, { status: number; type: string; code: string | null }> = {
  invalid_request: { status: 400, type: "invalid_request_error", code: null },
  authentication: { status: 401, type: "invalid_request_error", code: "invalid_api_key" },
  permission: { status: 403, type: "permission_error", code: null },
  not_found: { status: 404, type: "invalid_request_error", code: "not_found" },
  request_too_large: { status: 413, type: "invalid_request_error", code: "request_too_large" },
  rate_limit: { status: 429, type: "requests", code: "rate_limit_exceeded" },
  overloaded: { status: 429, type: "server_error", code: "overloaded" },
  upstream: { status: 502, type: "server_error", code: "upstream_error" },
  unavailable: { status: 503, type: "server_error", code: "unavailable" },
  internal: { status: 500, type: "server_error", code: null },
};

/** The error in OpenAI's shape, its param named as the endpoint's fields are (Chat Completions' by default). */
export function openaiError(error: GatewayError, names: WireNames = CHAT_COMPLETIONS_NAMES): { status: number; body: OpenAIErrorBody } {
  const { status, type } = MAPPING[error.kind];
  const code = error.kind === "not_found" && error.param === "model" ? "model_not_found" : MAPPING[error.kind].code;
  return { status, body: { error: { message: error.message, type, param: wireParam(error.param, names) ?? null, code } } };
}
