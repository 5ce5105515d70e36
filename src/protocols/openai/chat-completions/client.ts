// The client half of /v1/chat/completions, for upstream engines.
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { GatewayError } from "../../../core/gateway-error.js";
import { bearer, type ProtocolClient } from "../../../core/protocol-client.js";
import { buildChatCompletionRequest } from "./build-request.js";
import { ChatCompletionStreamParser } from "./parse-stream.js";

export const chatCompletionsClient: ProtocolClient = {
  path: "/chat/completions",
  headers: bearer,
  body: buildChatCompletionRequest,
  parser() {
    const parser = new ChatCompletionStreamParser();
    return {
      feed(data) {
        const error = (data as { error?: { message?: string } }).error;
        if (error !== undefined) throw new GatewayError("upstream", `Upstream: ${error.message ?? "failed mid-stream"}`);
        return parser.feed(data as ChatCompletionChunk);
      },
      finish: () => parser.finish(),
    };
  },
};
