// Turns a flat run of text and thinking chunks into indexed content-block events.
import type { ChatEvent } from "../../core/chat-event.js";

export class BlockTracker {
  private index = -1;
  private open: "text" | "thinking" | undefined;

  constructor(private readonly emit: (event: ChatEvent) => void) {}

  append(kind: "text" | "thinking", text: string): void {
    if (text === "") return;
    if (this.open !== kind) {
      this.close();
      this.index++;
      this.open = kind;
      this.emit({ type: "block_start", index: this.index, kind });
    }
    this.emit(kind === "text"
      ? { type: "text_delta", index: this.index, text }
      : { type: "thinking_delta", index: this.index, text });
  }

  /** Ends the open block, if any. */
  close(): void {
    if (this.open === undefined) return;
    this.emit({ type: "block_end", index: this.index });
    this.open = undefined;
  }
}
