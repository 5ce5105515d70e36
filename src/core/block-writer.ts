// Numbers canonical content blocks as a client-side stream parser meets them: at most one is open, and opening the
// next (or ending the stream) closes it. `key` says which block of the wire an open one stands for.
import type { BlockStart, ChatEvent } from "./chat-event.js";

export class BlockWriter {
  private index = -1;
  private openKey: string | undefined;

  /** The open block's index, or the last one's. */
  get current(): number {
    return this.index;
  }

  isOpen(key: string): boolean {
    return this.openKey === key;
  }

  /** Closes the open block and opens the next; returns its index. */
  open(events: ChatEvent[], key: string, block: BlockStart): number {
    this.close(events);
    this.openKey = key;
    events.push({ type: "block_start", index: ++this.index, ...block });
    return this.index;
  }

  /** Text or thinking for the block `key`, opening it unless it is the open one. */
  append(events: ChatEvent[], key: string, kind: "text" | "thinking", text: string): void {
    if (!this.isOpen(key)) this.open(events, key, { kind });
    events.push(kind === "text" ? { type: "text_delta", index: this.index, text } : { type: "thinking_delta", index: this.index, text });
  }

  close(events: ChatEvent[]): void {
    if (this.openKey === undefined) return;
    events.push({ type: "block_end", index: this.index });
    this.openKey = undefined;
  }
}
