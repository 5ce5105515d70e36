// Each protocol's error shape, and which protocol a client speaks on the paths both APIs share (/v1/models, unknown
// paths): Anthropic's SDK and tools send `anthropic-version` or `x-api-key`; anything else is taken for an OpenAI client.
import type { IncomingHttpHeaders } from "node:http";
import { anthropicError } from "./anthropic/errors.js";
import type { ErrorShape, Protocol } from "./endpoint.js";
import { openaiError } from "./openai/errors.js";

export const PROTOCOL_ERRORS: Record<Protocol, ErrorShape> = {
  openai: (error) => openaiError(error),
  anthropic: (error, requestId) => anthropicError(error, requestId),
};

export interface EnabledProtocols {
  openai: boolean;
  anthropic: boolean;
}

export function clientProtocol(headers: IncomingHttpHeaders, enabled: EnabledProtocols): Protocol {
  if (!enabled.anthropic) return "openai";
  if (!enabled.openai) return "anthropic";
  return headers["anthropic-version"] !== undefined || headers["x-api-key"] !== undefined ? "anthropic" : "openai";
}
