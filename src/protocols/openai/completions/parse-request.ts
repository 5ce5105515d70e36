// OpenAI legacy completions request → one canonical raw-prompt ChatRequest per prompt and choice.
import { emptyChatRequest, type ChatRequest } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { checkMaxTokens, type ParseOptions } from "../../validate.js";
import { choiceRequests, parseSampling } from "../sampling.js";
import type { CompletionRequestBody } from "./schema.js";

/** The API's default when max_tokens is absent. */
export const DEFAULT_MAX_TOKENS = 16;

/** Requests in choice order: prompt i, copy j is choice i·n + j, as the API numbers them. */
export function parseCompletionRequest(body: CompletionRequestBody, options: ParseOptions): { requests: ChatRequest[]; prompts: string[]; n: number } {
  const prompts = typeof body.prompt === "string" ? [body.prompt] : (body.prompt as string[]);
  const n = body.n ?? 1;
  const maxTokens = checkMaxTokens(body.max_tokens ?? DEFAULT_MAX_TOKENS, options, "max_tokens");
  const sampling = parseSampling(body, maxTokens);
  if (body.logprobs != null) {
    if (body.echo === true) {
      throw new GatewayError("invalid_request", "echo with logprobs would need the prompt's token log-probabilities, which this server does not compute; drop one of them.", { param: "logprobs" });
    }
    sampling.logprobs = { top: body.logprobs };
  }
  const requests = prompts.flatMap((prompt) => choiceRequests({
    ...emptyChatRequest(body.model),
    prompt,
    sampling,
    metadata: body.user === undefined ? {} : { user: body.user },
  }, n));
  return { requests, prompts, n };
}
