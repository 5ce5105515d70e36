// Which protocol's shapes a client expects on the endpoints both protocols share (/v1/models, unknown paths):
// Anthropic's SDK and tools send `anthropic-version` or `x-api-key`; anything else is taken for an OpenAI client.
import type { IncomingHttpHeaders } from "node:http";
import type { FastifyRequest } from "fastify";
import type { Config } from "../config.js";
import type { GatewayError } from "../core/gateway-error.js";
import { anthropicError } from "./anthropic/errors.js";
import { openaiError } from "./openai/errors.js";

export type ClientProtocol = "openai" | "anthropic";

type Enabled = Pick<Config, "ENABLE_OPENAI_API" | "ENABLE_ANTHROPIC_API">;

export function clientProtocol(headers: IncomingHttpHeaders, enabled: Enabled): ClientProtocol {
  if (!enabled.ENABLE_ANTHROPIC_API) return "openai";
  if (!enabled.ENABLE_OPENAI_API) return "anthropic";
  return headers["anthropic-version"] !== undefined || headers["x-api-key"] !== undefined ? "anthropic" : "openai";
}

/** An error renderer answering each client in its own protocol's error shape. */
export function clientErrorRenderer(enabled: Enabled): (error: GatewayError, request: FastifyRequest) => { status: number; body: unknown } {
  return (error, request) => (clientProtocol(request.headers, enabled) === "anthropic" ? anthropicError(error, request.id) : openaiError(error));
}
