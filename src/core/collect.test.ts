import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatEvent } from "./chat-event.js";
import { collect, resultLogprobs } from "./collect.js";
import { GatewayError } from "./gateway-error.js";

async function* from(events: ChatEvent[]): AsyncGenerator<ChatEvent> {
  yield* events;
}
const usage = { inputTokens: 3, cachedTokens: 1, outputTokens: 2 };

test("folds thinking, text and tool-call blocks into one result", async () => {
  const result = await collect(from([
    { type: "start", inputTokens: 3, cachedTokens: 1 },
    { type: "block_start", index: 0, kind: "thinking" },
    { type: "thinking_delta", index: 0, text: "hm" },
    { type: "block_end", index: 0 },
    { type: "block_start", index: 1, kind: "text" },
    { type: "text_delta", index: 1, text: "Hel" },
    { type: "text_delta", index: 1, text: "lo" },
    { type: "block_end", index: 1 },
    { type: "block_start", index: 2, kind: "tool_call", toolCallId: "call_1", name: "f" },
    { type: "tool_args_delta", index: 2, json: '{"a":' },
    { type: "tool_args_delta", index: 2, json: "1}" },
    { type: "block_end", index: 2 },
    { type: "end", stopReason: "tool_use", usage },
  ]));
  const { timing, ...folded } = result;
  assert.ok(timing !== undefined && timing.start <= timing.firstOutput! && timing.firstOutput! <= timing.end, JSON.stringify(timing));
  assert.deepEqual(folded, {
    blocks: [
      { kind: "thinking", text: "hm" },
      { kind: "text", text: "Hello" },
      { kind: "tool_call", id: "call_1", name: "f", arguments: '{"a":1}' },
    ],
    stopReason: "tool_use",
    usage,
  });
});

test("keeps the stop sequence that ended generation", async () => {
  const result = await collect(from([{ type: "start", inputTokens: 1, cachedTokens: 0 }, { type: "end", stopReason: "stop_sequence", stopSequence: "##", usage }]));
  assert.equal(result.stopSequence, "##");
});

test("throws the error event of the stream", async () => {
  const error = new GatewayError("overloaded", "busy");
  await assert.rejects(collect(from([{ type: "start", inputTokens: 1, cachedTokens: 0 }, { type: "error", error }])), error);
});

test("rejects events out of order", async () => {
  const cases: ChatEvent[][] = [
    [{ type: "text_delta", index: 0, text: "x" }],
    [{ type: "start", inputTokens: 1, cachedTokens: 0 }, { type: "text_delta", index: 0, text: "x" }],
    [{ type: "start", inputTokens: 1, cachedTokens: 0 }, { type: "block_start", index: 1, kind: "text" }],
    [{ type: "start", inputTokens: 1, cachedTokens: 0 }, { type: "block_start", index: 0, kind: "text" }, { type: "end", stopReason: "end_turn", usage }],
    [{ type: "start", inputTokens: 1, cachedTokens: 0 }],
  ];
  for (const events of cases) {
    await assert.rejects(collect(from(events)), (e: unknown) => e instanceof GatewayError && e.kind === "internal");
  }
});
test("gathers the text deltas' logprobs in order, and none where the deltas carry none", async () => {
  const token = (text: string) => ({ token: text, bytes: [...Buffer.from(text)], logprob: -1, top: [] });
  const result = await collect(from([
    { type: "start", inputTokens: 3, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "text" },
    { type: "text_delta", index: 0, text: "ab", logprobs: [token("a"), token("b")] },
    { type: "text_delta", index: 0, text: "c", logprobs: [token("c")] },
    { type: "block_end", index: 0 },
    { type: "end", stopReason: "end_turn", usage },
  ]));
  assert.deepEqual(resultLogprobs(result).map((l) => l.token), ["a", "b", "c"]);
  const plain = await collect(from([
    { type: "start", inputTokens: 3, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "text" },
    { type: "text_delta", index: 0, text: "ab" },
    { type: "block_end", index: 0 },
    { type: "end", stopReason: "end_turn", usage },
  ]));
  assert.deepEqual(plain.blocks, [{ kind: "text", text: "ab" }]);
});
