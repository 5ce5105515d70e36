// The statistics Ollama ends every reply with: why it stopped, token counts, and durations in nanoseconds.
import type { StopReason, Usage } from "../../core/chat-event.js";
import type { FinalStats } from "./wire.js";

/** When a reply's phases happened, in performance.now() milliseconds. */
export interface ReplySpans {
  /** The request arrived. */
  requestStart: number;
  /** The engine admitted it: the model loaded and a slot held. */
  start: number;
  /** The prompt was read and the first piece generated; absent when nothing was. */
  firstOutput?: number;
  end: number;
}

/** Ollama knows two reasons: the model stopped (a tool call included), or the token limit cut it off. */
export const doneReason = (stop: StopReason): "stop" | "length" => (stop === "max_tokens" ? "length" : "stop");

/** Milliseconds as the whole nanoseconds Ollama reports durations in. */
export const nanoseconds = (ms: number): number => Math.max(0, Math.round(ms * 1e6));

export function finalStats(spans: ReplySpans, usage: Usage, stop: StopReason): FinalStats {
  const firstOutput = spans.firstOutput ?? spans.end;
  return {
    done_reason: doneReason(stop),
    total_duration: nanoseconds(spans.end - spans.requestStart),
    load_duration: nanoseconds(spans.start - spans.requestStart),
    // Every prompt token, those reused from a cache included: Ollama reports llama-server's cache_n + prompt_n, and
    // clients read the count as the size of the context they filled.
    prompt_eval_count: usage.inputTokens,
    prompt_eval_duration: nanoseconds(firstOutput - spans.start),
    eval_count: usage.outputTokens,
    eval_duration: nanoseconds(spans.end - firstOutput),
  };
}
