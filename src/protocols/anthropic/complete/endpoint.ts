// POST /v1/complete (legacy Text Completions).
import { newId } from "../../../core/ids.js";
import { defineEndpoint } from "../../endpoint.js";
import { single } from "../../single.js";
import { parseCompleteRequest } from "./parse-request.js";
import { renderCompletion } from "./render-response.js";
import { renderCompletionStream } from "./render-stream.js";
import { completeRequest } from "./schema.js";

export const completeEndpoint = defineEndpoint({
  name: "anthropic-complete",
  protocol: "anthropic",
  method: "POST",
  paths: ["/v1/complete"],
  body: completeRequest,
  answer({ body, options, requestId }) {
    const request = parseCompleteRequest(body, options);
    const identity = { id: newId.legacyCompletion(), model: request.model };
    return single({
      request,
      stream: body.stream === true,
      renderStream: (events) => renderCompletionStream(events, identity, requestId),
      render: (result) => renderCompletion(result, identity),
    });
  },
});
