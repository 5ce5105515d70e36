// Every protocol LALS serves is also one it can call: the client halves by the name an upstream's `protocol` gives.
import { messagesClient } from "./anthropic/messages/client.js";
import { chatCompletionsClient } from "./openai/chat-completions/client.js";
import { responsesClient } from "./openai/responses/client.js";
import type { ProtocolClient } from "../core/protocol-client.js";

export const PROTOCOL_CLIENTS = {
  openai: chatCompletionsClient,
  anthropic: messagesClient,
  "openai-responses": responsesClient,
} satisfies Record<string, ProtocolClient>;

export type ProtocolClientName = keyof typeof PROTOCOL_CLIENTS;

export const PROTOCOL_CLIENT_NAMES = Object.keys(PROTOCOL_CLIENTS) as [ProtocolClientName, ...ProtocolClientName[]];
