// OpenAI chat.completion.chunk frames → canonical events (the client side of this wire, for upstream engines).
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { BlockWriter } from "../../../core/block-writer.js";
import type { ChatEvent, StopReason } from "../../../core/chat-event.js";
import type { ReasoningFields } from "./render-response.js";

const STOP_REASONS: Record<string, StopReason> = { stop: "end_turn", length: "max_tokens", tool_calls: "tool_use", function_call: "tool_use", content_filter: "end_turn" };

/** Feeds chunks in order; `finish()` closes what is open and ends the stream with the usage the upstream reported. */
export class ChatCompletionStreamParser {
  private started = false;
  private readonly blocks = new BlockWriter();
  private readonly toolBlocks = new Map<number, number>();
  private stopReason: StopReason = "end_turn";
  private usage = { inputTokens: 0, cachedTokens: 0, outputTokens: 0 };

  feed(chunk: ChatCompletionChunk): ChatEvent[] {
    const events: ChatEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({ type: "start", inputTokens: 0, cachedTokens: 0 });
    }
    const choice = chunk.choices[0];
    const delta = choice?.delta as (ChatCompletionChunk.Choice.Delta & ReasoningFields) | undefined;
    const reasoning = delta?.reasoning_content ?? delta?.reasoning;
    if (reasoning) this.blocks.append(events, "thinking", "thinking", reasoning);
    if (delta?.content) this.blocks.append(events, "text", "text", delta.content);
    for (const call of delta?.tool_calls ?? []) {
      let block = this.toolBlocks.get(call.index);
      if (block === undefined) {
        block = this.blocks.open(events, `call ${call.index}`, { kind: "tool_call", toolCallId: call.id ?? `call_${call.index}`, name: call.function?.name ?? "" });
        this.toolBlocks.set(call.index, block);
      }
      if (call.function?.arguments) events.push({ type: "tool_args_delta", index: block, json: call.function.arguments });
    }
    if (choice?.finish_reason) this.stopReason = STOP_REASONS[choice.finish_reason] ?? "end_turn";
    if (chunk.usage) {
      this.usage = {
        inputTokens: chunk.usage.prompt_tokens,
        cachedTokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
        outputTokens: chunk.usage.completion_tokens,
      };
    }
    return events;
  }

  finish(): ChatEvent[] {
    const events: ChatEvent[] = [];
    if (!this.started) events.push({ type: "start", inputTokens: 0, cachedTokens: 0 });
    this.blocks.close(events);
    events.push({ type: "end", stopReason: this.stopReason, usage: this.usage });
    return events;
  }
}
