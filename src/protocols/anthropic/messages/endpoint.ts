// POST /v1/messages.
import { newId } from "../../../core/ids.js";
import { withTicks } from "../../../core/keep-alive.js";
import { messagesClient } from "./client.js";
import { defineEndpoint } from "../../endpoint.js";
import { single } from "../../single.js";
import { parseMessagesRequest } from "./parse-request.js";
import { renderMessage } from "./render-response.js";
import { renderMessageStream } from "./render-stream.js";
import { messagesRequest } from "./schema.js";

const PING_EVERY_MS = 5000;

export const messagesEndpoint = defineEndpoint({
  name: "anthropic-messages",
  protocol: "anthropic",
  method: "POST",
  paths: ["/v1/messages"],
  body: messagesRequest,
  client: messagesClient,
  answer({ body, options, requestId }) {
    const request = parseMessagesRequest(body, options);
    const identity = { id: newId.message(), model: request.model };
    return single({
      request,
      stream: body.stream === true,
      renderStream: (events) => renderMessageStream(withTicks(events, PING_EVERY_MS), identity, requestId),
      render: (result) => renderMessage(result, identity),
    });
  },
});
