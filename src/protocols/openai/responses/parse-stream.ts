// OpenAI Responses SSE events → canonical events (the client side of this wire, for upstream engines). Items of kinds
// the canonical model has no place for (hosted tool calls) are left out.
import type { ResponseStreamEvent, Response } from "openai/resources/responses/responses";
import { BlockWriter } from "../../../core/block-writer.js";
import type { ChatEvent, StopReason, Usage } from "../../../core/chat-event.js";
import { GatewayError, type GatewayErrorKind } from "../../../core/gateway-error.js";

const FAILURE_KINDS: Record<string, GatewayErrorKind> = {
  context_length_exceeded: "invalid_request", invalid_prompt: "invalid_request", server_is_overloaded: "overloaded", rate_limit_exceeded: "rate_limit",
};

/** Feeds events in order; `finish()` throws if the stream stopped before the response was complete. */
export class ResponsesStreamParser {
  private started = false;
  private ended = false;
  private readonly blocks = new BlockWriter();
  /** The function call being streamed, and whether its arguments came as deltas. */
  private call: { itemId: string; sawArgs: boolean } | undefined;

  feed(event: ResponseStreamEvent | { type: "keepalive" }): ChatEvent[] {
    const events: ChatEvent[] = [];
    if (!this.started && event.type !== "error") {
      this.started = true;
      events.push({ type: "start", inputTokens: 0, cachedTokens: 0 });
    }
    switch (event.type) {
      case "response.output_item.added":
        if (event.item.type === "function_call") {
          this.call = { itemId: event.item.id ?? "", sawArgs: false };
          this.blocks.open(events, `call ${this.call.itemId}`, { kind: "tool_call", toolCallId: event.item.call_id, name: event.item.name });
        }
        break;
      case "response.output_text.delta":
        this.blocks.append(events, `text ${event.item_id}`, "text", event.delta);
        break;
      case "response.reasoning_text.delta":
      case "response.reasoning_summary_text.delta":
        this.blocks.append(events, `thinking ${event.item_id}`, "thinking", event.delta);
        break;
      case "response.function_call_arguments.delta":
        if (this.call !== undefined && this.blocks.isOpen(`call ${event.item_id}`)) {
          this.call.sawArgs = true;
          events.push({ type: "tool_args_delta", index: this.blocks.current, json: event.delta });
        }
        break;
      case "response.output_item.done":
        if (event.item.type === "function_call" && this.blocks.isOpen(`call ${event.item.id ?? ""}`)) {
          // Some servers send a call's arguments only with the finished item.
          if (this.call?.sawArgs === false && event.item.arguments !== "") events.push({ type: "tool_args_delta", index: this.blocks.current, json: event.item.arguments });
          this.blocks.close(events);
        } else if (this.blocks.isOpen(`text ${event.item.id ?? ""}`) || this.blocks.isOpen(`thinking ${event.item.id ?? ""}`)) this.blocks.close(events);
        break;
      case "response.completed":
      case "response.incomplete":
        this.blocks.close(events);
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
