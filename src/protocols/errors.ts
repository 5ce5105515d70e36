// Each protocol's error shape, and which protocol a client speaks where no record says (/v1/models, unknown paths):
// Gemini's paths are under /v1beta/ (or /v1/models/…:method) and its clients send `x-goog-api-key`; Ollama's are under
// /api/; Anthropic's SDK and tools send `anthropic-version` or `x-api-key`; anything else is taken for an OpenAI client.
import type { IncomingHttpHeaders } from "node:http";
import { anthropicError } from "./anthropic/errors.js";
import type { ErrorShape, Protocol } from "./endpoint.js";
import { geminiError } from "./gemini/errors.js";
import { ollamaError } from "./ollama/errors.js";
import { openaiError } from "./openai/errors.js";

export const PROTOCOL_ERRORS: Record<Protocol, ErrorShape> = {
  openai: (error) => openaiError(error),
  anthropic: (error, requestId) => anthropicError(error, requestId),
  gemini: (error) => geminiError(error),
  ollama: (error) => ollamaError(error),
};

export type EnabledProtocols = Record<Protocol, boolean>;

/** The protocol whose paths `url` is under, when only one has them. */
function pathProtocol(url: string): Protocol | undefined {
  const path = url.split("?")[0]!;
  if (path.startsWith("/v1beta/") || /^\/v1\/models\/[^/]+:[A-Za-z]+$/.test(path)) return "gemini";
  if (path.startsWith("/api/")) return "ollama";
  return undefined;
}

export function clientProtocol(headers: IncomingHttpHeaders, enabled: EnabledProtocols, url = ""): Protocol {
  const byPath = pathProtocol(url);
  if (byPath !== undefined && enabled[byPath]) return byPath;
  if (headers["x-goog-api-key"] !== undefined && enabled.gemini) return "gemini";
  if (!enabled.anthropic) return "openai";
  if (!enabled.openai) return "anthropic";
  return headers["anthropic-version"] !== undefined || headers["x-api-key"] !== undefined ? "anthropic" : "openai";
}
