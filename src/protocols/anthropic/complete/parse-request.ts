// Legacy Text Completions request (`\n\nHuman: …\n\nAssistant:` prompt) → canonical ChatRequest.
import { emptyChatRequest, type ChatRequest } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { checkMaxTokens, type ParseOptions } from "../../validate.js";
import type { CompleteBody } from "./schema.js";

export const HUMAN = "\n\nHuman:";
export const ASSISTANT = "\n\nAssistant:";

const invalid = (message: string): GatewayError => new GatewayError("invalid_request", `prompt: ${message}`, { param: "prompt" });

export function parseCompleteRequest(body: CompleteBody, options: ParseOptions): ChatRequest {
  // "a\n\nHuman: b\n\nAssistant:" → ["a", "\n\nHuman:", " b", "\n\nAssistant:", ""]
  const [preamble = "", ...turns] = body.prompt.split(/(\n\nHuman:|\n\nAssistant:)/);
  if (turns[0] !== HUMAN) throw invalid(`must start with "\\n\\nHuman:" turn after an optional system prompt`);
  if (turns.at(-2) !== ASSISTANT) throw invalid(`must end with "\\n\\nAssistant:" turn`);

  const request = emptyChatRequest(body.model);
  if (preamble.trim() !== "") request.system.push({ type: "text", text: preamble.trim() });
  for (let i = 0; i < turns.length; i += 2) {
    const role = turns[i] === HUMAN ? "user" : "assistant";
    const isLast = i === turns.length - 2;
    // The final assistant text, if any, is a prefill the model continues: only its separating space goes.
    const text = isLast ? (turns[i + 1] ?? "").replace(/^ /, "") : (turns[i + 1] ?? "").trim();
    if (text === "") continue;
    const previous = request.messages.at(-1);
    if (previous?.role === role) previous.content.push({ type: "text", text });
    else request.messages.push({ role, content: [{ type: "text", text }] });
  }
  if (!request.messages.some((m) => m.role === "user")) throw invalid("the Human turns are empty");

  const maxTokens = checkMaxTokens(body.max_tokens_to_sample, options, "max_tokens_to_sample");
  request.sampling = {
    maxTokens,
    // The API always stops where the model would start the next Human turn.
    stop: [...new Set([HUMAN, ...(body.stop_sequences ?? []).filter((s) => s !== "")])],
    ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
    ...(body.top_p === undefined ? {} : { topP: body.top_p }),
    ...(body.top_k === undefined ? {} : { topK: body.top_k }),
  };
  // Text Completions predate thinking: the reply is the visible text only.
  request.thinking = { enabled: false };
  if (body.metadata?.user_id != null) request.metadata.user_id = body.metadata.user_id;
  return request;
}
