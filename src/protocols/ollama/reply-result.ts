// A collected ChatResult in Ollama's terms, for the replies that are not streamed: its text, thinking, tool calls,
// log-probabilities and final statistics.
import { resultLogprobs, resultText, type ChatResult } from "../../core/collect.js";
import { finalStats } from "./final-stats.js";
import { renderLogprobs, type WireLogprob } from "./logprobs.js";
import type { ReplyContext } from "./reply-context.js";
import { ollamaToolCall } from "./tool-calls.js";
import type { FinalStats, OllamaToolCall } from "./wire.js";

export interface ReplyResult {
  text: string;
  thinking: string;
  toolCalls: OllamaToolCall[];
  logprobs: WireLogprob[];
  stats: FinalStats;
}

export function replyResult(result: ChatResult, context: ReplyContext): ReplyResult {
  const timing = result.timing ?? { start: context.requestStart, end: context.requestStart };
  const toolCalls: OllamaToolCall[] = [];
  for (const block of result.blocks) {
    const call = block.kind === "tool_call" ? ollamaToolCall(block.id, block.name, block.arguments, toolCalls.length) : undefined;
    if (call !== undefined) toolCalls.push(call);
  }
  return {
    text: resultText(result),
    thinking: result.blocks.map((b) => (b.kind === "thinking" ? b.text : "")).join(""),
    toolCalls,
    logprobs: renderLogprobs(resultLogprobs(result)),
    stats: finalStats({ requestStart: context.requestStart, ...timing }, result.usage, result.stopReason),
  };
}
