import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatEvent } from "../../core/chat-event.js";
import { BlockTracker } from "./block-tracker.js";

function track(drive: (tracker: BlockTracker) => void): ChatEvent[] {
  const events: ChatEvent[] = [];
  const tracker = new BlockTracker((e) => events.push(e));
  drive(tracker);
  tracker.close();
  return events.map((e) => (e.type === "block_start" && e.kind === "tool_call" ? { ...e, toolCallId: "id" } : e));
}

test("numbers thinking, text and tool-call blocks in order", () => {
  const events = track((t) => {
    t.append("thinking", "hm");
    t.append("text", "Hi");
    t.append("text", "!");
    t.appendCall(0, "f", '{"a":', false);
    t.appendCall(0, "f", " ", false);
    t.appendCall(0, "f", "1}", false);
    t.appendCall(0, "f", "\n\n", true);
    t.appendCall(1, "g", "{}", true);
  });
  assert.deepEqual(events, [
    { type: "block_start", index: 0, kind: "thinking" },
    { type: "thinking_delta", index: 0, text: "hm" },
    { type: "block_end", index: 0 },
    { type: "block_start", index: 1, kind: "text" },
    { type: "text_delta", index: 1, text: "Hi" },
    { type: "text_delta", index: 1, text: "!" },
    { type: "block_end", index: 1 },
    { type: "block_start", index: 2, kind: "tool_call", toolCallId: "id", name: "f" },
    { type: "tool_args_delta", index: 2, json: '{"a":' },
    { type: "tool_args_delta", index: 2, json: " 1}" },
    { type: "block_end", index: 2 },
    { type: "block_start", index: 3, kind: "tool_call", toolCallId: "id", name: "g" },
    { type: "tool_args_delta", index: 3, json: "{}" },
    { type: "block_end", index: 3 },
  ]);
});

test("adds calls that finished without streamed arguments, and leaves a call cut short open until close", () => {
  const events = track((t) => {
    t.appendCall(0, "f", '{"a":', false);
    t.completeCalls([{ name: "f", params: { a: 1 } }, { name: "none", params: undefined }]);
  });
  assert.deepEqual(events.map((e) => e.type), ["block_start", "tool_args_delta", "block_end", "block_start", "tool_args_delta", "block_end"]);
  assert.deepEqual(events[4], { type: "tool_args_delta", index: 1, json: "{}" });
});

test("the line breaks a format writes after a thought are not part of the reply; later whitespace is", () => {
  const events = track((t) => {
    t.append("thinking", "hm");
    t.append("text", "\n");
    t.append("text", "\n");
    t.append("text", " Hi\n\n");
    t.append("text", " there");
  });
  assert.deepEqual(events, [
    { type: "block_start", index: 0, kind: "thinking" },
    { type: "thinking_delta", index: 0, text: "hm" },
    { type: "block_end", index: 0 },
    { type: "block_start", index: 1, kind: "text" },
    { type: "text_delta", index: 1, text: "Hi\n\n" },
    { type: "text_delta", index: 1, text: " there" },
    { type: "block_end", index: 1 },
  ]);
  const textOnly = track((t) => t.append("text", "\n\nHi"));
  assert.deepEqual(textOnly[1], { type: "text_delta", index: 0, text: "\n\nHi" }, "a reply without a thought keeps its whitespace");
});
