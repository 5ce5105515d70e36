// Every protocol LALS serves is also one it can call: the client halves of the endpoint records, by the name an
// upstream's `protocol` gives.
import type { ProtocolClient } from "../core/protocol-client.js";
import { messagesEndpoint } from "./anthropic/messages/endpoint.js";
import { generateContentEndpoint } from "./gemini/generate-content/endpoint.js";
import { chatEndpoint as ollamaChatEndpoint } from "./ollama/chat/endpoint.js";
import { chatCompletionsEndpoint } from "./openai/chat-completions/endpoint.js";
import { RESPONSES_ENDPOINTS } from "./openai/responses/endpoints.js";

function clientOf(endpoint: { name: string; client?: ProtocolClient } | undefined): ProtocolClient {
  if (endpoint?.client === undefined) throw new Error(`endpoint ${endpoint?.name ?? "?"} has no client half`);
  return endpoint.client;
}

export const PROTOCOL_CLIENTS = {
  openai: clientOf(chatCompletionsEndpoint),
  anthropic: clientOf(messagesEndpoint),
  "openai-responses": clientOf(RESPONSES_ENDPOINTS.find((e) => e.name === "openai-responses")),
  gemini: clientOf(generateContentEndpoint),
  ollama: clientOf(ollamaChatEndpoint),
} satisfies Record<string, ProtocolClient>;

export type ProtocolClientName = keyof typeof PROTOCOL_CLIENTS;

export const PROTOCOL_CLIENT_NAMES = Object.keys(PROTOCOL_CLIENTS) as [ProtocolClientName, ...ProtocolClientName[]];
