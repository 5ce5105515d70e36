// A countTokens body → the canonical request generateContent would read for the same input.
import type { ChatRequest } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import type { ParseOptions } from "../../validate.js";
import { parseGenerateContentRequest } from "../generate-content/parse-request.js";
import type { CountTokensRequestBody } from "./schema.js";

/** The path names the model; a generateContentRequest's own `model` (`models/…`) must be the same one. */
export function parseCountTokensRequest(body: CountTokensRequestBody, model: string, options: ParseOptions): ChatRequest {
  const inner = body.generateContentRequest;
  if (inner != null) {
    const named = inner.model?.replace(/^models\//, "");
    if (named != null && named !== model) {
      throw new GatewayError("invalid_request", `generateContentRequest.model: '${inner.model}' is not the model of the path, '${model}'.`, { param: "generateContentRequest.model" });
    }
    return parseGenerateContentRequest(inner, model, options).request;
  }
  if (body.contents == null || body.contents.length === 0) {
    throw new GatewayError("invalid_request", "contents: either contents or generateContentRequest is required.", { param: "contents" });
  }
  return parseGenerateContentRequest({ contents: body.contents }, model, options).request;
}
