// POST /tokenize → canonical TokenizeRequest: the text form with llama-server's defaults, or the chat form parsed
// exactly as /v1/chat/completions parses it, so its tokens are the prompt a completion would read.
import type { TokenizeRequest } from "../../../core/tokenize-request.js";
import { validate, type ParseOptions } from "../../validate.js";
import { parseChatCompletionRequest } from "../chat-completions/parse-request.js";
import { chatTokenizeRequest, textTokenizeRequest, type TokenizeRequestBody } from "./schema.js";

export function parseTokenizeRequest(body: TokenizeRequestBody, options: ParseOptions): TokenizeRequest {
  const model = body.model == null ? {} : { model: body.model };
  if (body.messages !== undefined) {
    const chat = validate(chatTokenizeRequest, body);
    // No model: the router picks the default one and names it.
    return { kind: "chat", ...model, chat: parseChatCompletionRequest({ ...chat, model: chat.model ?? "" }, options) };
  }
  const text = validate(textTokenizeRequest, body);
  return {
    kind: "text",
    ...model,
    content: text.content,
    addSpecial: text.add_special ?? false,
    parseSpecial: text.parse_special ?? true,
    withPieces: text.with_pieces ?? false,
  };
}
