// How an upstream engine speaks to a server of each protocol: where to post, how to authenticate, the request body,
// and a parser turning the server's stream back into canonical events.
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import type { ChatEvent } from "../../core/chat-event.js";
import type { ChatRequest } from "../../core/chat-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { buildMessagesRequest } from "../../protocols/anthropic/messages/build-request.js";
import { MessagesStreamParser } from "../../protocols/anthropic/messages/parse-stream.js";
import { buildChatCompletionRequest } from "../../protocols/openai/chat-completions/build-request.js";
import { ChatCompletionStreamParser } from "../../protocols/openai/chat-completions/parse-stream.js";

export type UpstreamProtocolName = "openai" | "anthropic";

export interface StreamParser {
  feed(data: unknown): ChatEvent[];
  /** What ends the stream; throws if the server stopped before its answer was complete. */
  finish(): ChatEvent[];
}

export interface UpstreamProtocol {
  /** Appended to a replica's base URL (which ends in /v1). */
  path: string;
  headers(apiKey: string | undefined): Record<string, string>;
  body(request: ChatRequest, model: string): unknown;
  parser(): StreamParser;
}

const openai: UpstreamProtocol = {
  path: "/chat/completions",
  headers: (apiKey): Record<string, string> => (apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
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

const anthropic: UpstreamProtocol = {
  path: "/messages",
  headers: (apiKey) => ({ "anthropic-version": "2023-06-01", ...(apiKey === undefined ? {} : { "x-api-key": apiKey }) }),
  body: buildMessagesRequest,
  parser() {
    const parser = new MessagesStreamParser();
    let ended = false;
    return {
      feed(data) {
        const events = parser.feed(data as Parameters<MessagesStreamParser["feed"]>[0]);
        if (events.some((e) => e.type === "end")) ended = true;
        return events;
      },
      finish() {
        if (!ended) throw new GatewayError("upstream", "Upstream: the stream ended before message_stop.");
        return [];
      },
    };
  },
};

export const UPSTREAM_PROTOCOLS: Record<UpstreamProtocolName, UpstreamProtocol> = { openai, anthropic };
