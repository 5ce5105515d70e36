// POST /v1/completions (legacy).
import { newId } from "../../../core/ids.js";
import { defineEndpoint } from "../../endpoint.js";
import { SYSTEM_FINGERPRINT } from "../chat-completions/endpoint.js";
import { parseCompletionRequest } from "./parse-request.js";
import { renderCompletion } from "./render-response.js";
import { renderCompletionStream } from "./render-stream.js";
import { completionRequest } from "./schema.js";

export const completionsEndpoint = defineEndpoint({
  name: "openai-completions",
  protocol: "openai",
  method: "POST",
  paths: ["/v1/completions"],
  body: completionRequest,
  answer({ body, options }) {
    const { requests, prompts, n } = parseCompletionRequest(body, options);
    const identity = { id: newId.completion(), model: body.model, created: Math.floor(Date.now() / 1000), systemFingerprint: SYSTEM_FINGERPRINT };
    const shape = { echoed: requests.map((_, i) => (body.echo === true ? prompts[Math.floor(i / n)] : undefined)), choicesPerPrompt: n, logprobs: body.logprobs != null };
    const includeUsage = body.stream_options?.include_usage === true;
    return {
      type: "generate",
      requests,
      stream: body.stream === true,
      renderStream: (events) => renderCompletionStream(events, { ...identity, ...shape, includeUsage }),
      render: (results) => renderCompletion(results, identity, shape),
    };
  },
});
