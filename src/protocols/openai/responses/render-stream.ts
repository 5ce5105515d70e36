// Canonical events → OpenAI Responses SSE frames, in OpenAI's order: response.created and response.in_progress; per
// output item, output_item.added → its content part and deltas → their .done events → output_item.done; then exactly
// one of response.completed / response.incomplete / response.failed carrying every item with the same ids.
// `sequence_number` counts from 0; there is no [DONE].
import type { ResponseOutputItem, ResponseStreamEvent } from "openai/resources/responses/responses";
import type { ChatEvent, StopReason } from "../../../core/chat-event.js";
import type { ResultBlock } from "../../../core/collect.js";
import { toGatewayError, type GatewayError } from "../../../core/gateway-error.js";
import { sseFrame } from "../../../core/sse.js";
import { isCancelled } from "../../../core/cancel-cause.js";
import { renderTokenLogprobs } from "../logprobs.js";
import { failureOf } from "./errors.js";
import type { Tick } from "../../../core/keep-alive.js";
import {
  customInput, finalState, itemIdFor, renderItem, responseObject,
  type ItemStatus, type ResponseIdentity, type WireResponse,
} from "./render-response.js";

export interface StreamOptions extends ResponseIdentity {
  /** Receives the final response (completed, incomplete, failed or cancelled) once its last frame is rendered. */
  /** Called with the final response before its frame is sent, so a continuation sent right after it finds it stored. */
  onFinish?(response: WireResponse): void | Promise<void>;
}

interface Item {
  id: string;
  block: ResultBlock;
  custom: boolean;
  done: boolean;
}

export async function* renderResponseStream(events: AsyncIterable<ChatEvent | Tick>, options: StreamOptions): AsyncGenerator<string> {
  let sequence = 0;
  const frame = (event: ResponseStreamEvent): string => sseFrame(event, event.type);
  const next = (): number => sequence++;
  const items: Item[] = [];
  const byBlock = new Map<number, Item>();
  /** The item whose block ended: its .done frames wait for the next event, which says whether the output was cut short. */
  let closing: Item | undefined;

  const rendered = (item: Item, status: ItemStatus): ResponseOutputItem => renderItem(item.block, item.id, status, options);
  const snapshot = (status: "in_progress"): WireResponse => responseObject(options, { status, output: [] });

  function* open(item: Item, index: number): Generator<string> {
    const { id, block } = item;
    const added: ResponseOutputItem = block.kind === "text"
      ? { id, type: "message", role: "assistant", status: "in_progress", content: [] }
      : block.kind === "thinking" ? { id, type: "reasoning", summary: [], content: [] } : rendered(item, "in_progress");
    yield frame({ type: "response.output_item.added", sequence_number: next(), output_index: index, item: added });
    if (block.kind === "text") {
      yield frame({ type: "response.content_part.added", sequence_number: next(), item_id: id, output_index: index, content_index: 0, part: { type: "output_text", text: "", annotations: [], logprobs: [] } });
    }
    if (block.kind === "thinking") {
      yield frame({ type: "response.content_part.added", sequence_number: next(), item_id: id, output_index: index, content_index: 0, part: { type: "reasoning_text", text: "" } });
    }
  }

  function* close(item: Item, status: ItemStatus): Generator<string> {
    const index = items.indexOf(item);
    const { id, block } = item;
    item.done = true;
    const common = { item_id: id, output_index: index };
    if (block.kind === "text") {
      const logprobs = renderTokenLogprobs(block.logprobs ?? []);
      yield frame({ type: "response.output_text.done", sequence_number: next(), ...common, content_index: 0, text: block.text, logprobs });
      yield frame({ type: "response.content_part.done", sequence_number: next(), ...common, content_index: 0, part: { type: "output_text", text: block.text, annotations: [], logprobs } });
    } else if (block.kind === "thinking") {
      yield frame({ type: "response.reasoning_text.done", sequence_number: next(), ...common, content_index: 0, text: block.text });
      yield frame({ type: "response.content_part.done", sequence_number: next(), ...common, content_index: 0, part: { type: "reasoning_text", text: block.text } });
    } else if (item.custom) {
      const input = customInput(block.arguments);
      // The model writes a custom tool's input as JSON ({"input": …}); its text is known once the call is complete.
      yield frame({ type: "response.custom_tool_call_input.delta", sequence_number: next(), ...common, delta: input });
      yield frame({ type: "response.custom_tool_call_input.done", sequence_number: next(), ...common, input });
    } else {
      const name = options.toolNames.get(block.name)?.name ?? block.name;
      yield frame({ type: "response.function_call_arguments.done", sequence_number: next(), ...common, name, arguments: block.arguments });
    }
    yield frame({ type: "response.output_item.done", sequence_number: next(), output_index: index, item: rendered(item, status) });
  }

  function* flush(stop?: StopReason): Generator<string> {
    if (closing === undefined) return;
    const item = closing;
    closing = undefined;
    yield* close(item, stop === "max_tokens" ? "incomplete" : "completed");
  }

  async function* fail(error: GatewayError): AsyncGenerator<string> {
    yield* flush();
    const output = items.map((item) => rendered(item, item.done ? "completed" : "incomplete"));
    const cancelled = isCancelled(error, "response_cancelled");
    const response = responseObject(options, { status: cancelled ? "cancelled" : "failed", output, ...(cancelled ? {} : { error: failureOf(error) }) });
    // A failed response that cannot be stored either is still reported as failed.
    await Promise.resolve(options.onFinish?.(response)).catch(() => undefined);
    yield frame({ type: "response.failed", sequence_number: next(), response });
  }

  yield frame({ type: "response.created", sequence_number: next(), response: snapshot("in_progress") });
  yield frame({ type: "response.in_progress", sequence_number: next(), response: snapshot("in_progress") });
  try {
    for await (const event of events) {
      if (event.type !== "tick") yield* flush(event.type === "end" ? event.stopReason : undefined);
      switch (event.type) {
        case "tick":
          // Only while nothing has been output: a snapshot replaces the client's, so it must not drop items.
          if (items.length === 0) yield frame({ type: "response.in_progress", sequence_number: next(), response: snapshot("in_progress") });
          break;
        case "start":
          break;
        case "block_start": {
          const block: ResultBlock = event.kind === "tool_call"
            ? { kind: "tool_call", id: event.toolCallId, name: event.name, arguments: "" }
            : { kind: event.kind, text: "" };
          const custom = event.kind === "tool_call" && options.toolNames.get(event.name)?.custom === true;
          const item: Item = { id: itemIdFor(block.kind === "tool_call" ? block : { kind: block.kind }, options.toolNames), block, custom, done: false };
          items.push(item);
          byBlock.set(event.index, item);
          yield* open(item, items.length - 1);
          break;
        }
        case "text_delta":
        case "thinking_delta": {
          const item = byBlock.get(event.index);
          if (item === undefined || item.block.kind === "tool_call") break;
          item.block.text += event.text;
          const logprobs = event.type === "text_delta" ? event.logprobs ?? [] : [];
          if (item.block.kind === "text" && logprobs.length > 0) (item.block.logprobs ??= []).push(...logprobs);
          const common = { sequence_number: next(), item_id: item.id, output_index: items.indexOf(item), content_index: 0, delta: event.text };
          yield frame(event.type === "text_delta"
            ? { type: "response.output_text.delta", ...common, logprobs: renderTokenLogprobs(logprobs) }
            : { type: "response.reasoning_text.delta", ...common });
          break;
        }
        case "tool_args_delta": {
          const item = byBlock.get(event.index);
          if (item?.block.kind !== "tool_call") break;
          item.block.arguments += event.json;
          if (!item.custom) yield frame({ type: "response.function_call_arguments.delta", sequence_number: next(), item_id: item.id, output_index: items.indexOf(item), delta: event.json });
          break;
        }
        case "block_end":
          closing = byBlock.get(event.index);
          break;
        case "end": {
          const state = finalState(event.stopReason);
          const output = items.map((item, i) => rendered(item, state.status === "incomplete" && i === items.length - 1 ? "incomplete" : "completed"));
          const response = responseObject(options, { ...state, output, usage: event.usage });
          await options.onFinish?.(response);
          yield frame(state.status === "incomplete"
            ? { type: "response.incomplete", sequence_number: next(), response }
            : { type: "response.completed", sequence_number: next(), response });
          return;
        }
        case "error":
          yield* fail(event.error);
          return;
        default: {
          const never: never = event;
          throw new Error(`unknown event ${JSON.stringify(never)}`);
        }
      }
    }
  } catch (error) {
    yield* fail(toGatewayError(error));
  }
}
