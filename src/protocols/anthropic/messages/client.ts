// The client half of /v1/messages, for upstream engines.
import { GatewayError } from "../../../core/gateway-error.js";
import type { ProtocolClient } from "../../../core/protocol-client.js";
import { buildMessagesRequest } from "./build-request.js";
import { MessagesStreamParser } from "./parse-stream.js";

export const messagesClient: ProtocolClient = {
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
