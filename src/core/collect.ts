// Folds a canonical event stream into one result: the non-streaming path is this fold of the streaming one.
import type { ChatEvent, StopReason, TokenLogprob, Usage } from "./chat-event.js";
import { GatewayError } from "./gateway-error.js";

export type ResultBlock =
  | { kind: "text"; text: string; logprobs?: TokenLogprob[] }
  | { kind: "thinking"; text: string }
  | { kind: "tool_call"; id: string; name: string; arguments: string };

/** When the events came, in performance.now() milliseconds: the start (the prompt admitted), the first generated piece, the end. */
export interface ResultTiming {
  start: number;
  firstOutput?: number;
  end: number;
}

export interface ChatResult {
  blocks: ResultBlock[];
  stopReason: StopReason;
  stopSequence?: string;
  usage: Usage;
  /** Set by collect(); Ollama reports these durations. */
  timing?: ResultTiming;
}

function outOfOrder(what: string): GatewayError {
  return new GatewayError("internal", `Engine produced events out of order: ${what}.`);
}

/** Collects the events into a ChatResult, throwing the stream's error or an `internal` error on a malformed order. */
export async function collect(events: AsyncIterable<ChatEvent>): Promise<ChatResult> {
  const blocks: ResultBlock[] = [];
  let started = false;
  let open: number | undefined;
  let start = 0;
  let firstOutput: number | undefined;
  for await (const event of events) {
    if (event.type === "error") throw event.error;
    if (!started && event.type !== "start") throw outOfOrder(`${event.type} before start`);
    switch (event.type) {
      case "start":
        if (started) throw outOfOrder("second start");
        started = true;
        start = performance.now();
        break;
      case "block_start":
        if (open !== undefined || event.index !== blocks.length) throw outOfOrder(`block_start ${event.index}`);
        open = event.index;
        blocks.push(event.kind === "tool_call"
          ? { kind: "tool_call", id: event.toolCallId, name: event.name, arguments: "" }
          : { kind: event.kind, text: "" });
        break;
      case "text_delta":
      case "thinking_delta": {
        const block = blocks[event.index];
        const kind = event.type === "text_delta" ? "text" : "thinking";
        if (open !== event.index || block?.kind !== kind) throw outOfOrder(`${event.type} for block ${event.index}`);
        block.text += event.text;
        firstOutput ??= performance.now();
        if (event.type === "text_delta" && event.logprobs !== undefined && block.kind === "text") (block.logprobs ??= []).push(...event.logprobs);
        break;
      }
      case "tool_args_delta": {
        const block = blocks[event.index];
        if (open !== event.index || block?.kind !== "tool_call") throw outOfOrder(`tool_args_delta for block ${event.index}`);
        block.arguments += event.json;
        firstOutput ??= performance.now();
        break;
      }
      case "block_end":
        if (open !== event.index) throw outOfOrder(`block_end ${event.index}`);
        open = undefined;
        break;
      case "end":
        if (open !== undefined) throw outOfOrder("end with a block open");
        return {
          blocks,
          stopReason: event.stopReason,
          ...(event.stopSequence === undefined ? {} : { stopSequence: event.stopSequence }),
          usage: event.usage,
          timing: { start, ...(firstOutput === undefined ? {} : { firstOutput }), end: performance.now() },
        };
      default: {
        const never: never = event;
        throw outOfOrder(`unknown event ${JSON.stringify(never)}`);
      }
    }
  }
  throw outOfOrder("stream ended without end");
}

/** The log-probabilities of the text blocks' tokens, in order; empty when the engine gave none. */
export function resultLogprobs(result: ChatResult): TokenLogprob[] {
  return result.blocks.flatMap((b) => (b.kind === "text" ? b.logprobs ?? [] : []));
}

/** The text of all text blocks, joined. */
export function resultText(result: ChatResult): string {
  return result.blocks.map((b) => (b.kind === "text" ? b.text : "")).join("");
}
