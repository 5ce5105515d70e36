import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatEvent } from "./chat-event.js";
import { BlockWriter } from "./block-writer.js";

test("numbers blocks in order; text for the open block continues it, anything else closes it first", () => {
  const blocks = new BlockWriter();
  const events: ChatEvent[] = [];
  blocks.append(events, "a", "thinking", "hm");
  blocks.append(events, "a", "thinking", "m");
  blocks.append(events, "b", "text", "Hi");
  const call = blocks.open(events, "c", { kind: "tool_call", toolCallId: "x", name: "f" });
  blocks.close(events);
  blocks.close(events);
  assert.equal(call, 2);
  assert.deepEqual(events.map((e) => `${e.type}:${"index" in e ? e.index : ""}`), [
    "block_start:0", "thinking_delta:0", "thinking_delta:0", "block_end:0", "block_start:1", "text_delta:1", "block_end:1", "block_start:2", "block_end:2",
  ]);
});
