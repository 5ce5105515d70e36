// Canonical ChatResult → Anthropic Message JSON.
import type { ContentBlock, Message, MessageDeltaUsage, StopReason as AnthropicStopReason, Usage as AnthropicUsage } from "@anthropic-ai/sdk/resources/messages";
import type { StopReason, Usage } from "../../../core/chat-event.js";
import type { ChatResult, ResultBlock } from "../../../core/collect.js";
import { vendorToolId } from "../../../core/ids.js";
import { thinkingSignature } from "../thinking-signature.js";

export interface MessageIdentity {
  id: string;
  model: string;
}

export const stopReason = (stop: StopReason): AnthropicStopReason => stop;

/** Anthropic's meaning: input_tokens are the ones evaluated, cache reads the ones reused; together the whole prompt. */
export function renderUsage(usage: Usage): AnthropicUsage {
  return {
    input_tokens: usage.inputTokens - usage.cachedTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: usage.cachedTokens,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { thinking_tokens: usage.thinkingTokens ?? 0 },
    server_tool_use: null,
    service_tier: "standard",
    inference_geo: null,
    speed: null,
  };
}

export function renderDeltaUsage(usage: Usage): MessageDeltaUsage {
  const { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens, output_tokens_details } = renderUsage(usage);
  return { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens, output_tokens_details, server_tool_use: null };
}

function parseInput(json: string): unknown {
  try {
    return json === "" ? {} : JSON.parse(json);
  } catch {
    return {};
  }
}

export function renderBlock(block: ResultBlock): ContentBlock {
  switch (block.kind) {
    case "text":
      return { type: "text", text: block.text, citations: null };
    case "thinking":
      return { type: "thinking", thinking: block.text, signature: thinkingSignature(block.text) };
    case "tool_call":
      return { type: "tool_use", id: vendorToolId("toolu_", block.id), name: block.name, input: parseInput(block.arguments), caller: { type: "direct" } };
    default: {
      const never: never = block;
      throw new Error(`unknown block ${JSON.stringify(never)}`);
    }
  }
}

/** The message envelope; `message_start` sends it with no content and no stop reason yet. */
export function renderEnvelope(identity: MessageIdentity, usage: Usage): Message {
  return {
    id: identity.id,
    type: "message",
    role: "assistant",
    content: [],
    model: identity.model,
    stop_reason: null,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: renderUsage(usage),
  };
}

export function renderMessage(result: ChatResult, identity: MessageIdentity): Message {
  return {
    ...renderEnvelope(identity, result.usage),
    content: result.blocks.map(renderBlock),
    stop_reason: stopReason(result.stopReason),
    stop_sequence: result.stopSequence ?? null,
  };
}
