// POST /v1/chat/completions.
import { newId } from "../../../core/ids.js";
import { withKeepAliveComments } from "../../../core/sse.js";
import { chatCompletionsClient } from "./client.js";
import { defineEndpoint } from "../../endpoint.js";
import { choiceRequests } from "../sampling.js";
import { parseChatCompletionRequest } from "./parse-request.js";
import { renderChatCompletion } from "./render-response.js";
import { renderChatCompletionStream } from "./render-stream.js";
import { chatCompletionRequest } from "./schema.js";

export const SYSTEM_FINGERPRINT = "fp_lals";

/** Chat Completions has no ping event: an SSE comment every so often keeps clients' and proxies' idle timers from firing. */
const KEEP_ALIVE_MS = 10_000;

export const chatCompletionsEndpoint = defineEndpoint({
  name: "openai-chat",
  protocol: "openai",
  method: "POST",
  paths: ["/v1/chat/completions"],
  body: chatCompletionRequest,
  client: chatCompletionsClient,
  answer({ body, options }) {
    const chatRequest = parseChatCompletionRequest(body, options);
    const identity = { id: newId.chatCompletion(), model: chatRequest.model, created: Math.floor(Date.now() / 1000), systemFingerprint: SYSTEM_FINGERPRINT };
    const includeUsage = body.stream_options?.include_usage === true;
    const requests = choiceRequests(chatRequest, body.n ?? 1);
    return {
      type: "generate",
      requests,
      stream: body.stream === true,
      renderStream: (events) => withKeepAliveComments(renderChatCompletionStream(events, { ...identity, includeUsage, choices: requests.length }), KEEP_ALIVE_MS),
      render: (results) => renderChatCompletion(results, identity, { logprobs: chatRequest.sampling.logprobs !== undefined }),
    };
  },
});
