// POST /api/generate.
import { defineEndpoint } from "../../endpoint.js";
import { single } from "../../single.js";
import { streams } from "../generation-fields.js";
import { keepAliveAnswer } from "../keep-alive.js";
import { NDJSON_CONTENT_TYPE } from "../ndjson.js";
import { replyContext } from "../reply-context.js";
import { loadsOnly, parseGenerateRequest } from "./parse-request.js";
import { renderGenerateLoad, renderGenerateResponse } from "./render-response.js";
import { renderGenerateStream } from "./render-stream.js";
import { generateRequest } from "./schema.js";

export const generateEndpoint = defineEndpoint({
  name: "ollama-generate",
  protocol: "ollama",
  method: "POST",
  paths: ["/api/generate"],
  body: generateRequest,
  answer({ body, options }) {
    const context = replyContext(body.model);
    if (loadsOnly(body)) return keepAliveAnswer(body.model, body.keep_alive, (reason) => renderGenerateLoad(context, reason));
    const request = parseGenerateRequest(body, options);
    return single({
      request,
      stream: streams(body),
      streamContentType: NDJSON_CONTENT_TYPE,
      renderStream: (events) => renderGenerateStream(events, context),
      render: (result) => renderGenerateResponse(result, context, { logprobs: request.sampling.logprobs !== undefined }),
    });
  },
});
