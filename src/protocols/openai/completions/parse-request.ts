// OpenAI legacy completions request → one canonical raw-prompt ChatRequest per prompt and choice.
import { emptyChatRequest, type ChatRequest } from "../../../core/chat-request.js";
import { checkMaxTokens } from "../../validate.js";
import type { CompletionRequestBody } from "./schema.js";

export interface ParseOptions {
  maxTokensLimit: number;
}

/** The API's default when max_tokens is absent. */
export const DEFAULT_MAX_TOKENS = 16;

/** Requests in choice order: prompt i, copy j is choice i·n + j, as the API numbers them. */
export function parseCompletionRequest(body: CompletionRequestBody, options: ParseOptions): { requests: ChatRequest[]; prompts: string[]; n: number } {
  const prompts = typeof body.prompt === "string" ? [body.prompt] : (body.prompt as string[]);
  const n = body.n ?? 1;
  const maxTokens = body.max_tokens ?? DEFAULT_MAX_TOKENS;
  checkMaxTokens(maxTokens, options.maxTokensLimit, "max_tokens");
  const stop = body.stop == null ? [] : typeof body.stop === "string" ? [body.stop] : body.stop;
  const logitBias = body.logit_bias == null ? undefined : Object.fromEntries(Object.entries(body.logit_bias).map(([id, bias]) => [Number(id), bias]));

  const requests = prompts.flatMap((prompt) => Array.from({ length: n }, (_, j): ChatRequest => ({
    ...emptyChatRequest(body.model),
    prompt,
    sampling: {
      maxTokens,
      stop: stop.filter((s) => s !== ""),
      ...(body.temperature == null ? {} : { temperature: body.temperature }),
      ...(body.top_p == null ? {} : { topP: body.top_p }),
      ...(body.top_k == null ? {} : { topK: body.top_k }),
      // Copies of one prompt sample with seed + j, so they differ yet stay reproducible.
      ...(body.seed == null ? {} : { seed: body.seed + j }),
      ...(body.presence_penalty == null ? {} : { presencePenalty: body.presence_penalty }),
      ...(body.frequency_penalty == null ? {} : { frequencyPenalty: body.frequency_penalty }),
      ...(logitBias === undefined || Object.keys(logitBias).length === 0 ? {} : { logitBias }),
    },
    metadata: body.user === undefined ? {} : { user: body.user },
  })));
  return { requests, prompts, n };
}
