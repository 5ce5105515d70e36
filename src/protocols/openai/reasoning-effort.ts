// OpenAI's reasoning effort levels (chat's `reasoning_effort`, Responses' `reasoning.effort`) → canonical thinking.
import type { ChatRequest } from "../../core/chat-request.js";

export const REASONING_EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh"] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** Thinking budgets per level; the highest leave the model unbounded. */
const EFFORT_BUDGETS: Record<ReasoningEffort, number | undefined> = { none: undefined, minimal: 256, low: 1024, medium: 4096, high: undefined, xhigh: undefined };

/** The canonical thinking setting for an effort level: `none` turns thinking off. */
export function thinkingForEffort(effort: ReasoningEffort): NonNullable<ChatRequest["thinking"]> {
  if (effort === "none") return { enabled: false };
  const budget = EFFORT_BUDGETS[effort];
  return { enabled: true, ...(budget === undefined ? {} : { budgetTokens: budget }) };
}

/** The effort level that asks for at most a canonical thinking setting (the client side of the same mapping). */
export function effortForThinking(thinking: NonNullable<ChatRequest["thinking"]>): ReasoningEffort {
  if (thinking.enabled === false) return "none";
  const budget = thinking.budgetTokens;
  return budget !== undefined && budget <= 1024 ? "low" : "high";
}
