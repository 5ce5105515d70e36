// Canonical results → Ollama /api/chat replies: the whole reply when not streamed, and the reply to a load or unload.
import type { ChatResult } from "../../../core/collect.js";
import { replyHead, type ReplyContext } from "../reply-context.js";
import { replyResult } from "../reply-result.js";
import type { ChatLine } from "../wire.js";

/** `logprobs`: whether the request asked for them. */
export function renderChatResponse(result: ChatResult, context: ReplyContext, { logprobs = false } = {}): ChatLine {
  const reply = replyResult(result, context);
  return {
    ...replyHead(context),
    message: {
      role: "assistant",
      content: reply.text,
      ...(reply.thinking === "" ? {} : { thinking: reply.thinking }),
      ...(reply.toolCalls.length === 0 ? {} : { tool_calls: reply.toolCalls }),
    },
    ...(logprobs ? { logprobs: reply.logprobs } : {}),
    done: true,
    ...reply.stats,
  };
}

export function renderChatLoad(context: ReplyContext, reason: "load" | "unload"): ChatLine {
  return { ...replyHead(context), message: { role: "assistant", content: "" }, done_reason: reason, done: true };
}
