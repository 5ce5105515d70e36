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

/** What a block is, as its start says: a tool call carries its id and name. */
export type BlockStart = { kind: "text" } | { kind: "thinking" } | { kind: "tool_call"; toolCallId: string; name: string };

export type ChatEvent =
  | { type: "start"; inputTokens: number; cachedTokens: number }
  | ({ type: "block_start"; index: number } & BlockStart)
  | { type: "text_delta"; index: number; text: string }
  | { type: "thinking_delta"; index: number; text: string }
  | { type: "tool_args_delta"; index: number; json: string }
  | { type: "block_end"; index: number }
  | { type: "end"; stopReason: StopReason; stopSequence?: string; usage: Usage }
  | { type: "error"; error: GatewayError };
