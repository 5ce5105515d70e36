// Anthropic Messages stream events → canonical events (the client side of this wire, for upstream engines).
import type { RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import type { ChatEvent, StopReason } from "../../../core/chat-event.js";
import { GatewayError, type GatewayErrorKind } from "../../../core/gateway-error.js";

const ERROR_KINDS: Record<string, GatewayErrorKind> = {
  invalid_request_error: "invalid_request", not_found_error: "not_found", rate_limit_error: "rate_limit",
  overloaded_error: "overloaded", request_too_large: "request_too_large",
};

type Event = RawMessageStreamEvent | { type: "ping" } | { type: "error"; error: { type: string; message: string } };

/** Feeds events in order; blocks the canonical model has no place for (redacted thinking, server tools) are left out. */
export class MessagesStreamParser {
  private readonly blocks = new Map<number, number>();
  private next = 0;
  private stopReason: StopReason = "end_turn";
  private stopSequence: string | undefined;
  private usage = { inputTokens: 0, cachedTokens: 0, outputTokens: 0 };

  feed(event: Event): ChatEvent[] {
    switch (event.type) {
      case "message_start": {
        const u = event.message.usage;
        const cached = u.cache_read_input_tokens ?? 0;
        this.usage = { inputTokens: u.input_tokens + cached + (u.cache_creation_input_tokens ?? 0), cachedTokens: cached, outputTokens: u.output_tokens };
        return [{ type: "start", inputTokens: this.usage.inputTokens, cachedTokens: cached }];
      }
      case "content_block_start": {
        const block = event.content_block;
        const kind = block.type === "text" ? "text" : block.type === "thinking" ? "thinking" : block.type === "tool_use" ? "tool_call" : undefined;
        if (kind === undefined) return [];
        const index = this.next++;
        this.blocks.set(event.index, index);
        return [block.type === "tool_use"
          ? { type: "block_start", index, kind: "tool_call", toolCallId: block.id, name: block.name }
          : { type: "block_start", index, kind: kind as "text" | "thinking" }];
      }
      case "content_block_delta": {
        const index = this.blocks.get(event.index);
        if (index === undefined) return [];
        const { delta } = event;
        if (delta.type === "text_delta") return [{ type: "text_delta", index, text: delta.text }];
        if (delta.type === "thinking_delta") return [{ type: "thinking_delta", index, text: delta.thinking }];
        if (delta.type === "input_json_delta") return delta.partial_json === "" ? [] : [{ type: "tool_args_delta", index, json: delta.partial_json }];
        return [];
      }
      case "content_block_stop": {
        const index = this.blocks.get(event.index);
        return index === undefined ? [] : [{ type: "block_end", index }];
      }
      case "message_delta":
        if (event.delta.stop_reason !== null) this.stopReason = (["end_turn", "max_tokens", "stop_sequence", "tool_use"].includes(event.delta.stop_reason) ? event.delta.stop_reason : "end_turn") as StopReason;
        this.stopSequence = event.delta.stop_sequence ?? undefined;
        this.usage = { ...this.usage, outputTokens: event.usage.output_tokens };
        return [];
      case "message_stop":
        return [{ type: "end", stopReason: this.stopReason, ...(this.stopSequence === undefined ? {} : { stopSequence: this.stopSequence }), usage: this.usage }];
      case "error":
        throw new GatewayError(ERROR_KINDS[event.error.type] ?? "upstream", `Upstream: ${event.error.message}`);
      case "ping":
        return [];
      default:
        return [];
    }
  }
}
