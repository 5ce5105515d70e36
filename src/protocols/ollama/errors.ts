// GatewayError → Ollama's error status and body `{"error": "..."}`.
import type { GatewayError, GatewayErrorKind } from "../../core/gateway-error.js";

export interface OllamaErrorBody {
  error: string;
}

// Ollama answers a busy server with 503 (its OLLAMA_MAX_QUEUE) and an unknown model with 404.
const STATUS: Record<GatewayErrorKind, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  request_too_large: 413,
  rate_limit: 429,
  overloaded: 503,
  upstream: 502,
  unavailable: 503,
  internal: 500,
};

export function ollamaError(error: GatewayError): { status: number; body: OllamaErrorBody } {
  return { status: STATUS[error.kind], body: { error: error.message } };
}
