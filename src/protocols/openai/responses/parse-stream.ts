// OpenAI Responses SSE events → canonical events (the client side of this wire, for upstream engines). Items of kinds
// the canonical model has no place for (hosted tool calls) are left out.
import type { ResponseStreamEvent, Response } from "openai/resources/responses/responses";
import type { ChatEvent, StopReason, Usage } from "../../../core/chat-event.js";
import { GatewayError, type GatewayErrorKind } from "../../../core/gateway-error.js";

const FAILURE_KINDS: Record<string, GatewayErrorKind> = {
  context_length_exceeded: "invalid_request", invalid_prompt: "invalid_request", server_is_overloaded: "overloaded", rate_limit_exceeded: "rate_limit",
};

type Kind = "text" | "thinking" | "tool_call";

/** Feeds events in order; `finish()` throws if the stream stopped before the response was complete. */
export class ResponsesStreamParser {
  private started = false;
  private ended = false;
  private index = -1;
  private open: { itemId: string; kind: Kind; sawArgs: boolean } | undefined;

  feed(event: ResponseStreamEvent | { type: "keepalive" }): ChatEvent[] {
    const events: ChatEvent[] = [];
    if (!this.started && event.type !== "error") {
      this.started = true;
      events.push({ type: "start", inputTokens: 0, cachedTokens: 0 });
    }
    switch (event.type) {
      case "response.output_item.added":
        if (event.item.type === "function_call") {
          this.close(events);
          this.open = { itemId: event.item.id ?? "", kind: "tool_call", sawArgs: false };
          events.push({ type: "block_start", index: ++this.index, kind: "tool_call", toolCallId: event.item.call_id, name: event.item.name });
        }
        break;
      case "response.output_text.delta":
        this.append(events, event.item_id, "text", event.delta);
        break;
      case "response.reasoning_text.delta":
      case "response.reasoning_summary_text.delta":
        this.append(events, event.item_id, "thinking", event.delta);
        break;
      case "response.function_call_arguments.delta":
        if (this.open?.kind === "tool_call" && this.open.itemId === event.item_id) {
          this.open.sawArgs = true;
          events.push({ type: "tool_args_delta", index: this.index, json: event.delta });
        }
        break;
      case "response.output_item.done":
        if (this.open !== undefined && this.open.itemId === (event.item.id ?? "")) {
          // Some servers send a call's arguments only with the finished item.
          if (event.item.type === "function_call" && !this.open.sawArgs && event.item.arguments !== "") events.push({ type: "tool_args_delta", index: this.index, json: event.item.arguments });
          this.close(events);
        }
        break;
      case "response.completed":
      case "response.incomplete":
        this.close(events);
        this.ended = true;
        events.push({ type: "end", stopReason: stopReason(event.response), usage: usageOf(event.response) });
        break;
      case "response.failed": {
        const error = event.response.error;
        throw new GatewayError(FAILURE_KINDS[error?.code ?? ""] ?? "upstream", `Upstream: ${error?.message ?? "the response failed"}`);
      }
      case "error":
        throw new GatewayError(FAILURE_KINDS[event.code ?? ""] ?? "upstream", `Upstream: ${event.message}`);
      default:
        break;
    }
    return events;
  }

  finish(): ChatEvent[] {
    if (!this.ended) throw new GatewayError("upstream", "Upstream: the stream ended before response.completed.");
    return [];
  }

  private append(events: ChatEvent[], itemId: string, kind: "text" | "thinking", text: string): void {
    if (this.open?.itemId !== itemId || this.open.kind !== kind) {
      this.close(events);
      this.open = { itemId, kind, sawArgs: false };
      events.push({ type: "block_start", index: ++this.index, kind });
    }
    events.push(kind === "text" ? { type: "text_delta", index: this.index, text } : { type: "thinking_delta", index: this.index, text });
  }

  private close(events: ChatEvent[]): void {
    if (this.open === undefined) return;
    events.push({ type: "block_end", index: this.index });
    this.open = undefined;
  }
}

function stopReason(response: Response): StopReason {
  if (response.status === "incomplete" && response.incomplete_details?.reason === "max_output_tokens") return "max_tokens";
  return response.output.some((item) => item.type === "function_call") ? "tool_use" : "end_turn";
}

function usageOf(response: Response): Usage {
  const u = response.usage;
  if (u === undefined) return { inputTokens: 0, cachedTokens: 0, outputTokens: 0 };
  return {
    inputTokens: u.input_tokens,
    cachedTokens: u.input_tokens_details?.cached_tokens ?? 0,
    outputTokens: u.output_tokens,
    thinkingTokens: u.output_tokens_details?.reasoning_tokens ?? 0,
  };
}
