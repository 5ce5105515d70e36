// Canonical results → OpenAI text_completion JSON.
import type { Completion } from "openai/resources/completions";
import { resultLogprobs, resultText, type ChatResult } from "../../../core/collect.js";
import { finishReason, type ResponseIdentity } from "../chat-completions/render-response.js";
import { renderLegacyLogprobs } from "../logprobs.js";
import { renderUsage } from "../usage.js";

export interface CompletionShape {
  /** The prompt of each choice, prepended to its text when `echo` is set. */
  echoed: ReadonlyArray<string | undefined>;
  choicesPerPrompt: number;
  /** Whether the request asked for token log-probabilities. */
  logprobs: boolean;
}

export const completionFinishReason = (result: Pick<ChatResult, "stopReason">): "stop" | "length" =>
  finishReason(result.stopReason) === "length" ? "length" : "stop";

export function renderCompletion(results: readonly ChatResult[], identity: ResponseIdentity, shape: CompletionShape): Completion {
  return {
    id: identity.id,
    object: "text_completion",
    created: identity.created,
    model: identity.model,
    system_fingerprint: identity.systemFingerprint,
    choices: results.map((result, index) => ({
      index,
      text: (shape.echoed[index] ?? "") + resultText(result),
      logprobs: shape.logprobs ? renderLegacyLogprobs(resultLogprobs(result)) : null,
      finish_reason: completionFinishReason(result),
    })),
    usage: renderUsage(results.map((r) => r.usage), shape.choicesPerPrompt),
  };
}
