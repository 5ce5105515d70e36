// The client half of /api/chat, for upstream engines: a replica's base URL ends in /api.
import { bearer, type ProtocolClient } from "../../../core/protocol-client.js";
import { buildOllamaChatRequest } from "./build-request.js";
import { OllamaChatStreamParser } from "./parse-stream.js";

export const ollamaChatClient: ProtocolClient = {
  path: "/chat",
  framing: "ndjson",
  healthPath: "/tags",
  headers: bearer,
  body: buildOllamaChatRequest,
  parser: () => new OllamaChatStreamParser(),
};
