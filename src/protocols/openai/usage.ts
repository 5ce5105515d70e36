// Canonical usage of one or several choices → OpenAI's usage object.
import type { CompletionUsage } from "openai/resources/completions";
import type { Usage } from "../../core/chat-event.js";

/**
 * Choices come in groups of `choicesPerPrompt` per prompt: each prompt is counted once, every completion added up.
 * Chat has one prompt; legacy completions may have several.
 */
export function renderUsage(usages: readonly Usage[], choicesPerPrompt = usages.length): CompletionUsage {
  const prompts = usages.filter((_, i) => i % Math.max(choicesPerPrompt, 1) === 0);
  const promptTokens = prompts.reduce((sum, u) => sum + u.inputTokens, 0);
  const completionTokens = usages.reduce((sum, u) => sum + u.outputTokens, 0);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: prompts.reduce((sum, u) => sum + u.cachedTokens, 0) },
    completion_tokens_details: { reasoning_tokens: usages.reduce((sum, u) => sum + (u.thinkingTokens ?? 0), 0) },
  };
}
