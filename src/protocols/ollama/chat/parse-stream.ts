// Ollama /api/chat NDJSON lines → canonical events (the client side of this wire, for upstream engines). The prompt's
// token count comes only on the final line: `start` carries 0 and `end` the real usage, as with OpenAI's usage chunk.
import type { ChatResponse } from "ollama";
import { BlockWriter } from "../../../core/block-writer.js";
import type { ChatEvent } from "../../../core/chat-event.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { newId } from "../../../core/ids.js";
import type { StreamParser } from "../../../core/protocol-client.js";
import { parseLogprobs, type WireLogprob } from "../logprobs.js";
import type { OllamaMessage, OnWire } from "../wire.js";

type Line = Partial<Omit<OnWire<ChatResponse>, "message" | "logprobs">> & { message?: Partial<OllamaMessage>; logprobs?: WireLogprob[]; error?: string };

export class OllamaChatStreamParser implements StreamParser {
  private started = false;
  private ended = false;
  private readonly blocks = new BlockWriter();
  private calls = 0;

  feed(data: unknown): ChatEvent[] {
    const line = data as Line;
    if (typeof line.error === "string") throw new GatewayError("upstream", `Upstream: ${line.error}`);
    const events: ChatEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({ type: "start", inputTokens: 0, cachedTokens: 0 });
    }
    const message = line.message ?? {};
    if (message.thinking) this.blocks.append(events, "thinking", "thinking", message.thinking);
    if (message.content) {
      if (!this.blocks.isOpen("text")) this.blocks.open(events, "text", { kind: "text" });
      const logprobs = line.logprobs === undefined ? undefined : parseLogprobs(line.logprobs);
      events.push({ type: "text_delta", index: this.blocks.current, text: message.content, ...(logprobs === undefined ? {} : { logprobs }) });
    }
    for (const call of message.tool_calls ?? []) {
      // Older servers send calls without ids; a random one cannot collide with an earlier turn's.
      const index = this.blocks.open(events, `call ${this.calls++}`, { kind: "tool_call", toolCallId: call.id ?? newId.openaiToolCall(), name: call.function.name });
      events.push({ type: "tool_args_delta", index, json: JSON.stringify(call.function.arguments ?? {}) });
    }
    if (line.done === true) {
      this.blocks.close(events);
      this.ended = true;
      // Ollama says "stop" after tool calls too.
      const stopReason = line.done_reason === "length" ? "max_tokens" : this.calls > 0 ? "tool_use" : "end_turn";
      events.push({ type: "end", stopReason, usage: { inputTokens: line.prompt_eval_count ?? 0, cachedTokens: 0, outputTokens: line.eval_count ?? 0 } });
    }
    return events;
  }

  finish(): ChatEvent[] {
    if (!this.ended) throw new GatewayError("upstream", "Upstream: the stream ended before its final line (done: true).");
    return [];
  }
}
