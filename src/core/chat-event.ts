// Canonical generation events: what every engine yields and every protocol renders.
import type { GatewayError } from "./gateway-error.js";

export type BlockKind = "text" | "thinking" | "tool_call";
export type StopReason = "end_turn" | "max_tokens" | "stop_sequence" | "tool_use";

export interface Usage {
  inputTokens: number;
  /** Of inputTokens, how many were reused from a cached prefix rather than evaluated. */
  cachedTokens: number;
  outputTokens: number;
  /** Of outputTokens, how many were thinking. */
  thinkingTokens?: number;
}

/** One of the likeliest tokens at a position: its text, its UTF-8 bytes, and its natural-log probability. */
export interface TokenAlternative {
  token: string;
  /** The token's bytes, which may be part of a character its neighbours complete (`token` then shows U+FFFD). */
  bytes: number[];
  logprob: number;
}

/** A generated token with its log-probability and the likeliest tokens at its position, most likely first. */
export interface TokenLogprob extends TokenAlternative {
  top: TokenAlternative[];
}

/** What a block is, as its start says: a tool call carries its id and name. */
export type BlockStart = { kind: "text" } | { kind: "thinking" } | { kind: "tool_call"; toolCallId: string; name: string };

export type ChatEvent =
  | { type: "start"; inputTokens: number; cachedTokens: number }
  | ({ type: "block_start"; index: number } & BlockStart)
  /** `logprobs`, when the request asked for them and the engine gives them: one per token of `text`, in order. */
  | { type: "text_delta"; index: number; text: string; logprobs?: TokenLogprob[] }
  | { type: "thinking_delta"; index: number; text: string }
  | { type: "tool_args_delta"; index: number; json: string }
  | { type: "block_end"; index: number }
  | { type: "end"; stopReason: StopReason; stopSequence?: string; usage: Usage }
  | { type: "error"; error: GatewayError };
