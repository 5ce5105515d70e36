// Turns node-llama-cpp's flat callbacks (text and thought chunks, function-call parameter chunks) into indexed
// content-block events.
import type { BlockKind, BlockStart, ChatEvent, TokenLogprob } from "../../core/chat-event.js";
import { randomId } from "../../core/ids.js";
import { dropLeading } from "./token-logprobs.js";

export interface FinishedCall {
  name: string;
  params: unknown;
}

export class BlockTracker {
  private index = -1;
  private open: BlockKind | undefined;
  /** Block index of each function call node-llama-cpp numbered (its callIndex). */
  private readonly calls: number[] = [];
  /** Whitespace of the open call's arguments, sent only if more JSON follows: the grammar lets the model pad after the object. */
  private heldWhitespace = "";
  /** After a thought, the format's line breaks (Qwen's `</think>\n\n`) are not the reply's: they are dropped. */
  private trimmingText = false;

  constructor(private readonly emit: (event: ChatEvent) => void) {}

  /** A chunk of text or thought; `logprobs`, for text, those of its tokens. */
  append(kind: "text" | "thinking", text: string, logprobs?: TokenLogprob[]): void {
    if (kind === "text" && this.open === "thinking") this.trimmingText = true;
    if (kind === "text" && this.trimmingText) {
      const trimmed = text.trimStart();
      if (logprobs !== undefined) logprobs = dropLeading(logprobs, text.length - trimmed.length);
      text = trimmed;
      if (text !== "") this.trimmingText = false;
    }
    if (text === "") return;
    if (this.open !== kind) this.start({ kind });
    this.emit(kind === "text"
      ? { type: "text_delta", index: this.index, text, ...(logprobs === undefined ? {} : { logprobs }) }
      : { type: "thinking_delta", index: this.index, text });
  }

  /** A chunk of the arguments of function call `callIndex`; its first chunk opens the block, `done` closes it. */
  appendCall(callIndex: number, name: string, json: string, done: boolean): void {
    if (this.calls[callIndex] === undefined) {
      this.start({ kind: "tool_call", toolCallId: randomId(24), name });
      this.calls[callIndex] = this.index;
    }
    const index = this.calls[callIndex];
    if (json.trim() === "") this.heldWhitespace += json;
    else {
      this.emit({ type: "tool_args_delta", index, json: this.heldWhitespace + json });
      this.heldWhitespace = "";
    }
    if (done && this.open === "tool_call" && this.index === index) this.close();
  }

  /** Emits whole the calls node-llama-cpp finished without streaming their arguments (parameterless functions). */
  completeCalls(calls: readonly FinishedCall[]): void {
    calls.forEach((call, callIndex) => {
      if (this.calls[callIndex] === undefined) this.appendCall(callIndex, call.name, JSON.stringify(call.params ?? {}), true);
    });
  }

  /** Ends the open block, if any. */
  close(): void {
    this.heldWhitespace = "";
    if (this.open === undefined) return;
    this.emit({ type: "block_end", index: this.index });
    this.open = undefined;
  }

  private start(block: BlockStart): void {
    this.close();
    this.index++;
    this.open = block.kind;
    this.emit({ type: "block_start", index: this.index, ...block });
  }
}
