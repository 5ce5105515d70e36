// Canonical events → Anthropic's Messages SSE: message_start, content_block_start, ping, content_block_delta…,
// content_block_stop, message_delta, message_stop, each frame's `event:` equal to its data's `type`.
import type { RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import type { BlockStart, ChatEvent } from "../../../core/chat-event.js";
import { toGatewayError, type GatewayError } from "../../../core/gateway-error.js";
import { vendorToolId } from "../../../core/ids.js";
import type { Tick } from "../../../core/keep-alive.js";
import { sseFrame } from "../../../core/sse.js";
import { anthropicError, type AnthropicErrorBody } from "../errors.js";
import { thinkingSignature } from "../thinking-signature.js";
import { renderBlock, renderDeltaUsage, renderEnvelope, stopReason, type MessageIdentity } from "./render-response.js";

type StreamEvent = RawMessageStreamEvent | { type: "ping" } | AnthropicErrorBody;

const frame = (event: StreamEvent): string => sseFrame(event, event.type);

function emptyBlock(block: BlockStart): ReturnType<typeof renderBlock> {
  if (block.kind === "tool_call") return { type: "tool_use", id: vendorToolId("toolu_", block.toolCallId), name: block.name, input: {}, caller: { type: "direct" } };
  if (block.kind === "thinking") return { type: "thinking", thinking: "", signature: "" };
  return renderBlock({ kind: block.kind, text: "" });
}

/** Messages SSE from canonical events; a tick (a silence, such as a long prompt being read) becomes a `ping`. */
export async function* renderMessageStream(events: AsyncIterable<ChatEvent | Tick>, identity: MessageIdentity, requestId: string): AsyncGenerator<string> {
  const error = (e: GatewayError): string => frame(anthropicError(e, requestId).body);
  // Thinking text per open block, for the signature sent before the block closes.
  const thinking = new Map<number, string>();
  try {
    for await (const event of events) {
      switch (event.type) {
        case "start":
          yield frame({ type: "message_start", message: renderEnvelope(identity, { inputTokens: event.inputTokens, cachedTokens: event.cachedTokens, outputTokens: 0 }) });
          // At once: the prompt may take a while to read, and clients with idle watchdogs count from the headers.
          yield frame({ type: "ping" });
          break;
        case "tick":
          yield frame({ type: "ping" });
          break;
        case "block_start":
          if (event.kind === "thinking") thinking.set(event.index, "");
          yield frame({ type: "content_block_start", index: event.index, content_block: emptyBlock(event) });
          break;
        case "text_delta":
          yield frame({ type: "content_block_delta", index: event.index, delta: { type: "text_delta", text: event.text } });
          break;
        case "thinking_delta":
          thinking.set(event.index, (thinking.get(event.index) ?? "") + event.text);
          yield frame({ type: "content_block_delta", index: event.index, delta: { type: "thinking_delta", thinking: event.text } });
          break;
        case "tool_args_delta":
          yield frame({ type: "content_block_delta", index: event.index, delta: { type: "input_json_delta", partial_json: event.json } });
          break;
        case "block_end": {
          const text = thinking.get(event.index);
          if (text !== undefined) {
            yield frame({ type: "content_block_delta", index: event.index, delta: { type: "signature_delta", signature: thinkingSignature(text) } });
            thinking.delete(event.index);
          }
          yield frame({ type: "content_block_stop", index: event.index });
          break;
        }
        case "end":
          yield frame({
            type: "message_delta",
            delta: { stop_reason: stopReason(event.stopReason), stop_sequence: event.stopSequence ?? null, stop_details: null, container: null },
            usage: renderDeltaUsage(event.usage),
          });
          yield frame({ type: "message_stop" });
          return;
        case "error":
          yield error(event.error);
          return;
        default: {
          const never: never = event;
          throw new Error(`unknown event ${JSON.stringify(never)}`);
        }
      }
    }
  } catch (caught) {
    yield error(toGatewayError(caught));
  }
}
