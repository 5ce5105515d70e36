import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatResult } from "../../../core/collect.js";
import { TestClock, testContext, WALL } from "../test-clock.js";
import { renderChatLoad, renderChatResponse } from "./render-response.js";

const result: ChatResult = {
  blocks: [
    { kind: "thinking", text: "The user greets." },
    { kind: "text", text: "Hello! " },
    { kind: "text", text: "Weather?" },
    { kind: "tool_call", id: "call_q1", name: "get_weather", arguments: "{\"city\":\"Paris, FR\",\"format\":\"celsius\"}" },
  ],
  stopReason: "tool_use",
  usage: { inputTokens: 122, cachedTokens: 100, outputTokens: 33 },
  timing: { start: 2003.75, firstOutput: 2332.25, end: 2884.5 },
};

test("the whole reply: one message with content, thinking and tool calls, and durations from the result's timing", () => {
  const body = renderChatResponse(result, testContext(new TestClock(), 2000, "llama3.2"));
  assert.deepEqual(body, {
    model: "llama3.2",
    created_at: WALL,
    message: {
      role: "assistant",
      content: "Hello! Weather?",
      thinking: "The user greets.",
      tool_calls: [{ id: "call_q1", function: { index: 0, name: "get_weather", arguments: { city: "Paris, FR", format: "celsius" } } }],
    },
    done: true,
    done_reason: "stop",
    total_duration: 884_500_000,
    load_duration: 3_750_000,
    prompt_eval_count: 122,
    prompt_eval_duration: 328_500_000,
    eval_count: 33,
    eval_duration: 552_250_000,
  });
});

test("thinking and tool calls are left out when there are none; logprobs appear only when asked for", () => {
  const plain: ChatResult = { ...result, blocks: [{ kind: "text", text: "ok" }], stopReason: "max_tokens" };
  const body = renderChatResponse(plain, testContext(new TestClock(), 2000));
  assert.deepEqual(body.message, { role: "assistant", content: "ok" });
  assert.equal(body.done_reason, "length");
  assert.equal("logprobs" in body, false);
  assert.deepEqual(renderChatResponse(plain, testContext(new TestClock(), 2000), { logprobs: true }).logprobs, []);
});

test("loading and unloading answer as Ollama documents", () => {
  const context = testContext(new TestClock(), 0, "llama3.2");
  assert.deepEqual(renderChatLoad(context, "load"), { model: "llama3.2", created_at: WALL, message: { role: "assistant", content: "" }, done_reason: "load", done: true });
  assert.equal(renderChatLoad(context, "unload").done_reason, "unload");
});
