// Canonical token log-probabilities in OpenAI's shapes: chat completions' (and Responses') list of tokens with their
// alternatives, and legacy completions' parallel lists.
import type { CompletionChoice } from "openai/resources/completions";
import type { ResponseOutputText } from "openai/resources/responses/responses";
import type { TokenLogprob } from "../../core/chat-event.js";

/** Chat completions' `logprobs.content`, and Responses' `output_text` logprobs (and its text events'): the same fields. */
export function renderTokenLogprobs(logprobs: readonly TokenLogprob[]): ResponseOutputText.Logprob[] {
  return logprobs.map(({ token, bytes, logprob, top }) => ({
    token,
    bytes,
    logprob,
    top_logprobs: top.map((alternative) => ({ token: alternative.token, bytes: alternative.bytes, logprob: alternative.logprob })),
  }));
}

/**
 * Legacy completions' `logprobs`: tokens, their log-probabilities, the alternatives as token → logprob (two
 * alternatives with the same text keep the likelier), and each token's offset in the text, counted from `offset`.
 */
export function renderLegacyLogprobs(logprobs: readonly TokenLogprob[], offset = 0): CompletionChoice.Logprobs {
  const textOffset: number[] = [];
  for (const { token } of logprobs) {
    textOffset.push(offset);
    offset += token.length;
  }
  return {
    tokens: logprobs.map((l) => l.token),
    token_logprobs: logprobs.map((l) => l.logprob),
    top_logprobs: logprobs.map((l) => {
      // No prototype: a token such as "__proto__" or "constructor" is a key like any other.
      const top = Object.create(null) as Record<string, number>;
      for (const alternative of l.top) if (!Object.hasOwn(top, alternative.token)) top[alternative.token] = alternative.logprob;
      return top;
    }),
    text_offset: textOffset,
  };
}
