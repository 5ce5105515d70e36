// Canonical ChatResult → legacy Text Completions JSON.
import type { StopReason } from "../../../core/chat-event.js";
import { resultText, type ChatResult } from "../../../core/collect.js";

export interface CompletionIdentity {
  id: string;
  model: string;
}

export interface Completion {
  type: "completion";
  id: string;
  completion: string;
  /** `stop_sequence` when the model stopped by itself or at a stop sequence, `max_tokens` when it ran out. */
  stop_reason: "stop_sequence" | "max_tokens" | null;
  /** The stop sequence that matched, if one did. */
  stop: string | null;
  model: string;
}

export const legacyStopReason = (stop: StopReason): "stop_sequence" | "max_tokens" => (stop === "max_tokens" ? "max_tokens" : "stop_sequence");

export function renderCompletion(result: ChatResult, identity: CompletionIdentity): Completion {
  return {
    type: "completion",
    id: identity.id,
    completion: resultText(result),
    stop_reason: legacyStopReason(result.stopReason),
    stop: result.stopSequence ?? null,
    model: identity.model,
  };
}
