import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatEvent } from "../../../core/chat-event.js";
import type { ChatResult } from "../../../core/collect.js";
import { TestClock, testContext, timedEvents, WALL } from "../test-clock.js";
import { renderGenerateLoad, renderGenerateResponse } from "./render-response.js";
import { renderGenerateStream } from "./render-stream.js";

const head = { model: "qwen3:0.6b", created_at: WALL };

test("the stream is response lines, thinking as its own field, then the final statistics", async () => {
  const clock = new TestClock(500);
  const timed: Array<[number, ChatEvent]> = [
    [520, { type: "start", inputTokens: 14, cachedTokens: 0 }],
    [530, { type: "block_start", index: 0, kind: "thinking" }],
    [600, { type: "thinking_delta", index: 0, text: "sky" }],
    [610, { type: "block_end", index: 0 }],
    [620, { type: "block_start", index: 1, kind: "text" }],
    [700, { type: "text_delta", index: 1, text: "The" }],
    [800, { type: "text_delta", index: 1, text: " sky" }],
    [810, { type: "block_end", index: 1 }],
    [900, { type: "end", stopReason: "stop_sequence", stopSequence: "\n", usage: { inputTokens: 14, cachedTokens: 0, outputTokens: 3 } }],
  ];
  let out = "";
  for await (const line of renderGenerateStream(timedEvents(clock, timed), testContext(clock, 500))) out += line;
  assert.deepEqual(out.trimEnd().split("\n").map((l) => JSON.parse(l) as unknown), [
    { ...head, response: "", thinking: "sky", done: false },
    { ...head, response: "The", done: false },
    { ...head, response: " sky", done: false },
    { ...head, response: "", done: true, done_reason: "stop", total_duration: 400_000_000, load_duration: 20_000_000, prompt_eval_count: 14, prompt_eval_duration: 80_000_000, eval_count: 3, eval_duration: 300_000_000 },
  ]);
});

test("the whole reply holds the response and thinking; a load answers with done_reason load and no statistics", () => {
  const result: ChatResult = {
    blocks: [{ kind: "text", text: "Rayleigh scattering." }],
    stopReason: "end_turn",
    usage: { inputTokens: 26, cachedTokens: 0, outputTokens: 4 },
    timing: { start: 10, firstOutput: 30, end: 70 },
  };
  const context = testContext(new TestClock(), 0, "llama3.2");
  assert.deepEqual(renderGenerateResponse(result, context), {
    model: "llama3.2", created_at: WALL, response: "Rayleigh scattering.", done: true, done_reason: "stop",
    total_duration: 70_000_000, load_duration: 10_000_000, prompt_eval_count: 26, prompt_eval_duration: 20_000_000, eval_count: 4, eval_duration: 40_000_000,
  });
  assert.deepEqual(renderGenerateLoad(context, "unload"), { model: "llama3.2", created_at: WALL, response: "", done: true, done_reason: "unload" });
});
