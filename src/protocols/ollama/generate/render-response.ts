// Canonical results → Ollama /api/generate replies: the whole reply when not streamed, and the reply to a load or
// unload. `context` (deprecated by Ollama, and absent from its raw replies) is left out.
import type { ChatResult } from "../../../core/collect.js";
import { replyHead, type ReplyContext } from "../reply-context.js";
import { replyResult } from "../reply-result.js";
import type { GenerateLine } from "../wire.js";

/** `logprobs`: whether the request asked for them. */
export function renderGenerateResponse(result: ChatResult, context: ReplyContext, { logprobs = false } = {}): GenerateLine {
  const reply = replyResult(result, context);
  return {
    ...replyHead(context),
    response: reply.text,
    ...(reply.thinking === "" ? {} : { thinking: reply.thinking }),
    ...(reply.toolCalls.length === 0 ? {} : { tool_calls: reply.toolCalls }),
    ...(logprobs ? { logprobs: reply.logprobs } : {}),
    done: true,
    ...reply.stats,
  };
}

export function renderGenerateLoad(context: ReplyContext, reason: "load" | "unload"): GenerateLine {
  return { ...replyHead(context), response: "", done: true, done_reason: reason };
}
