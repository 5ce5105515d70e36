// Canonical events → legacy Text Completions SSE: `completion` frames with text, a `ping`, and a last `completion`
// frame carrying the stop reason.
import type { ChatEvent } from "../../../core/chat-event.js";
import { toGatewayError } from "../../../core/gateway-error.js";
import { sseFrame } from "../../../core/sse.js";
import { anthropicError, type AnthropicErrorBody } from "../errors.js";
import { legacyStopReason, type Completion, type CompletionIdentity } from "./render-response.js";

type StreamEvent = Completion | { type: "ping" } | AnthropicErrorBody;

const frame = (event: StreamEvent): string => sseFrame(event, event.type);

export async function* renderCompletionStream(events: AsyncIterable<ChatEvent>, identity: CompletionIdentity, requestId: string): AsyncGenerator<string> {
  const completion = (text: string, stop: Pick<Completion, "stop_reason" | "stop"> = { stop_reason: null, stop: null }): string =>
    frame({ type: "completion", id: identity.id, completion: text, ...stop, model: identity.model });
  let pinged = false;
  try {
    for await (const event of events) {
      switch (event.type) {
        case "text_delta":
          yield completion(event.text);
          if (!pinged) yield frame({ type: "ping" });
          pinged = true;
          break;
        case "end":
          yield completion("", { stop_reason: legacyStopReason(event.stopReason), stop: event.stopSequence ?? null });
          return;
        case "error":
          yield frame(anthropicError(event.error, requestId).body);
          return;
        case "start":
        case "block_start":
        case "block_end":
        case "thinking_delta":
        case "tool_args_delta":
          break;
        default: {
          const never: never = event;
          throw new Error(`unknown event ${JSON.stringify(never)}`);
        }
      }
    }
  } catch (caught) {
    yield frame(anthropicError(toGatewayError(caught), requestId).body);
  }
}
