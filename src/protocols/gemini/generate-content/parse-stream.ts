// streamGenerateContent chunks → canonical events (the client side of this wire, for upstream engines). Only the first
// candidate is read: LALS asks for one.
import { BlockWriter } from "../../../core/block-writer.js";
import type { ChatEvent, StopReason, Usage } from "../../../core/chat-event.js";
import { GatewayError, type GatewayErrorKind } from "../../../core/gateway-error.js";
import { randomId } from "../../../core/ids.js";
import type { GeminiResponse } from "../wire-types.js";

const ERROR_KINDS: Readonly<Record<string, GatewayErrorKind>> = {
  INVALID_ARGUMENT: "invalid_request", FAILED_PRECONDITION: "invalid_request", OUT_OF_RANGE: "invalid_request",
  UNAUTHENTICATED: "authentication", PERMISSION_DENIED: "permission", NOT_FOUND: "not_found",
  RESOURCE_EXHAUSTED: "rate_limit", UNAVAILABLE: "overloaded",
};

export interface GeminiErrorChunk {
  error: { code?: number; message?: string; status?: string };
}

/** The GatewayError an error object in the stream (or an error body) stands for. */
export function upstreamError(body: GeminiErrorChunk): GatewayError {
  return new GatewayError(ERROR_KINDS[body.error.status ?? ""] ?? "upstream", `Upstream: ${body.error.message ?? "failed mid-stream"}`);
}

/** Feeds chunks in order; `finish()` closes what is open and ends with the last usage the upstream reported. */
export class GenerateContentStreamParser {
  private started = false;
  private readonly blocks = new BlockWriter();
  private calledTools = false;
  private finishReason: string | undefined;
  private usage: Usage = { inputTokens: 0, cachedTokens: 0, outputTokens: 0 };

  feed(chunk: GeminiResponse): ChatEvent[] {
    const events: ChatEvent[] = [];
    this.readUsage(chunk.usageMetadata);
    if (!this.started) {
      this.started = true;
      events.push({ type: "start", inputTokens: this.usage.inputTokens, cachedTokens: this.usage.cachedTokens });
    }
    const candidate = chunk.candidates?.find((c) => (c.index ?? 0) === 0);
    for (const part of candidate?.content?.parts ?? []) {
      if (part.functionCall != null) {
        const call = part.functionCall;
        this.calledTools = true;
        const index = this.blocks.open(events, "call", { kind: "tool_call", toolCallId: call.id ?? randomId(24), name: call.name ?? "" });
        events.push({ type: "tool_args_delta", index, json: JSON.stringify(call.args ?? {}) });
        this.blocks.close(events);
      } else if (typeof part.text === "string" && part.text !== "") {
        const kind = part.thought === true ? "thinking" : "text";
        this.blocks.append(events, kind, kind, part.text);
      }
    }
    if (candidate?.finishReason != null) this.finishReason = candidate.finishReason;
    return events;
  }

  finish(): ChatEvent[] {
    if (this.finishReason === undefined) throw new GatewayError("upstream", "Upstream: the stream ended before a finishReason.");
    const events: ChatEvent[] = [];
    this.blocks.close(events);
    const stopReason: StopReason = this.finishReason === "MAX_TOKENS" ? "max_tokens" : this.calledTools ? "tool_use" : "end_turn";
    events.push({ type: "end", stopReason, usage: this.usage });
    return events;
  }

  /** Gemini counts thoughts apart from candidates; canonical output counts both. */
  private readUsage(usage: GeminiResponse["usageMetadata"]): void {
    if (usage == null) return;
    const thoughts = usage.thoughtsTokenCount ?? 0;
    this.usage = {
      inputTokens: usage.promptTokenCount ?? this.usage.inputTokens,
      cachedTokens: usage.cachedContentTokenCount ?? 0,
      outputTokens: (usage.candidatesTokenCount ?? 0) + thoughts,
      ...(thoughts > 0 ? { thinkingTokens: thoughts } : {}),
    };
  }
}
