// The client half of an endpoint: how a LALS upstream engine speaks to a server of that protocol. Each endpoint
// folder exports one; clients.ts lists them.
import type { ChatEvent } from "./chat-event.js";
import type { ChatRequest } from "./chat-request.js";

export interface StreamParser {
  /** One SSE event's parsed data → the canonical events it completes; throws a GatewayError on an error event. */
  feed(data: unknown): ChatEvent[];
  /** What ends the stream; throws if the server stopped before its answer was complete. */
  finish(): ChatEvent[];
}

export interface ProtocolClient {
  /** Appended to a replica's base URL (which ends in the API's version: /v1, /v1beta; Ollama's /api): fixed, or naming the model. */
  path: string | ((model: string) => string);
  /** How the answer's stream is framed: server-sent events (the default), or one JSON value a line (Ollama). */
  framing?: "sse" | "ndjson";
  /** Appended to the base URL to probe a replica's health; `/models` by default. */
  healthPath?: string;
  headers(apiKey: string | undefined): Record<string, string>;
  body(request: ChatRequest, model: string): unknown;
  parser(): StreamParser;
}

export const bearer = (apiKey: string | undefined): Record<string, string> => (apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` });
