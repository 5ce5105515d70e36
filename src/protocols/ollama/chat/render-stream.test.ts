import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatEvent } from "../../../core/chat-event.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { TestClock, testContext, timedEvents, WALL } from "../test-clock.js";
import { renderChatStream } from "./render-stream.js";

/** Each event with the monotonic time (ms) at which it arrives. */
async function render(timed: Array<[number, ChatEvent]>, requestStart = 1000): Promise<unknown[]> {
  const clock = new TestClock(requestStart);
  let out = "";
  for await (const line of renderChatStream(timedEvents(clock, timed), testContext(clock, requestStart))) out += line;
  assert.ok(out.endsWith("\n"), "every line ends with a newline");
  return out.trimEnd().split("\n").map((line) => JSON.parse(line) as unknown);
}

const head = { model: "qwen3:0.6b", created_at: WALL };

test("thinking, text and a tool call become NDJSON lines; the last carries done_reason and measured durations", async () => {
  const lines = await render([
    [1250, { type: "start", inputTokens: 26, cachedTokens: 20 }],
    [1260, { type: "block_start", index: 0, kind: "thinking" }],
    [1300, { type: "thinking_delta", index: 0, text: "hmm" }],
    [1310, { type: "block_end", index: 0 }],
    [1400, { type: "block_start", index: 1, kind: "text" }],
    [1500, { type: "text_delta", index: 1, text: "Hi" }],
    [1600, { type: "block_end", index: 1 }],
    [1700, { type: "block_start", index: 2, kind: "tool_call", toolCallId: "abc123", name: "get_weather" }],
    [1800, { type: "tool_args_delta", index: 2, json: "{\"city\":" }],
    [1900, { type: "tool_args_delta", index: 2, json: "\"Oslo\"}" }],
    [2000, { type: "block_end", index: 2 }],
    [2300, { type: "end", stopReason: "tool_use", usage: { inputTokens: 26, cachedTokens: 20, outputTokens: 12 } }],
  ]);
  assert.deepEqual(lines, [
    { ...head, message: { role: "assistant", content: "", thinking: "hmm" }, done: false },
    { ...head, message: { role: "assistant", content: "Hi" }, done: false },
    { ...head, message: { role: "assistant", content: "", tool_calls: [{ id: "call_abc123", function: { index: 0, name: "get_weather", arguments: { city: "Oslo" } } }] }, done: false },
    {
      ...head,
      message: { role: "assistant", content: "" },
      done: true,
      done_reason: "stop",
      total_duration: 1_300_000_000, // 1000 → 2300 ms
      load_duration: 250_000_000, // 1000 → 1250 ms: until admitted
      prompt_eval_count: 26,
      prompt_eval_duration: 50_000_000, // 1250 → 1300 ms: until the first piece
      eval_count: 12,
      eval_duration: 1_000_000_000, // 1300 → 2300 ms
    },
  ]);
});

test("a reply cut by the token limit ends with done_reason length, and a half-written tool call is left out", async () => {
  const lines = await render([
    [1000, { type: "start", inputTokens: 3, cachedTokens: 0 }],
    [1001, { type: "block_start", index: 0, kind: "tool_call", toolCallId: "x", name: "f" }],
    [1002, { type: "tool_args_delta", index: 0, json: "{\"a\": \"unfin" }],
    [1003, { type: "block_end", index: 0 }],
    [1004, { type: "end", stopReason: "max_tokens", usage: { inputTokens: 3, cachedTokens: 0, outputTokens: 8 } }],
  ]);
  assert.equal(lines.length, 1);
  assert.equal((lines[0] as { done_reason: string }).done_reason, "length");
});

test("with no output at all, prompt evaluation runs to the end and generation took no time", async () => {
  const [last] = await render([
    [1100, { type: "start", inputTokens: 3, cachedTokens: 0 }],
    [1400, { type: "end", stopReason: "end_turn", usage: { inputTokens: 3, cachedTokens: 0, outputTokens: 0 } }],
  ]);
  assert.deepEqual(
    [(last as Record<string, number>).load_duration, (last as Record<string, number>).prompt_eval_duration, (last as Record<string, number>).eval_duration],
    [100_000_000, 300_000_000, 0],
  );
});

test("a failure after the start is an error line, and the stream stops there", async () => {
  const lines = await render([
    [1000, { type: "start", inputTokens: 1, cachedTokens: 0 }],
    [1001, { type: "block_start", index: 0, kind: "text" }],
    [1002, { type: "text_delta", index: 0, text: "Hel" }],
    [1003, { type: "error", error: new GatewayError("overloaded", "The server is busy.") }],
    [1004, { type: "text_delta", index: 0, text: "lo" }],
  ]);
  assert.deepEqual(lines, [{ ...head, message: { role: "assistant", content: "Hel" }, done: false }, { error: "The server is busy." }]);
});

test("a text delta's log-probabilities ride on its line in Ollama's shape", async () => {
  const lines = await render([
    [1000, { type: "start", inputTokens: 1, cachedTokens: 0 }],
    [1001, { type: "block_start", index: 0, kind: "text" }],
    [1002, { type: "text_delta", index: 0, text: "Hi", logprobs: [{ token: "Hi", bytes: [72, 105], logprob: -0.5, top: [{ token: "Hey", bytes: [72, 101, 121], logprob: -1.25 }] }] }],
  ]);
  assert.deepEqual((lines[0] as { logprobs: unknown }).logprobs, [{ token: "Hi", logprob: -0.5, bytes: [72, 105], top_logprobs: [{ token: "Hey", logprob: -1.25, bytes: [72, 101, 121] }] }]);
});
