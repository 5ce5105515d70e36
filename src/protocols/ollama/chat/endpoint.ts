// POST /api/chat.
import { defineEndpoint } from "../../endpoint.js";
import { single } from "../../single.js";
import { streams } from "../generation-fields.js";
import { keepAliveAnswer } from "../keep-alive.js";
import { NDJSON_CONTENT_TYPE } from "../ndjson.js";
import { replyContext } from "../reply-context.js";
import { ollamaChatClient } from "./client.js";
import { parseChatRequest } from "./parse-request.js";
import { renderChatLoad, renderChatResponse } from "./render-response.js";
import { renderChatStream } from "./render-stream.js";
import { chatRequest } from "./schema.js";

export const chatEndpoint = defineEndpoint({
  name: "ollama-chat",
  protocol: "ollama",
  method: "POST",
  paths: ["/api/chat"],
  body: chatRequest,
  client: ollamaChatClient,
  answer({ body, options }) {
    const context = replyContext(body.model);
    if ((body.messages ?? []).length === 0) return keepAliveAnswer(body.model, body.keep_alive, (reason) => renderChatLoad(context, reason));
    const request = parseChatRequest(body, options);
    return single({
      request,
      stream: streams(body),
      streamContentType: NDJSON_CONTENT_TYPE,
      renderStream: (events) => renderChatStream(events, context),
      render: (result) => renderChatResponse(result, context, { logprobs: request.sampling.logprobs !== undefined }),
    });
  },
});
