import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../../core/gateway-error.js";
import { validate } from "../../validate.js";
import { parseChatCompletionRequest } from "./parse-request.js";
import { chatCompletionRequest } from "./schema.js";

const parse = (body: unknown, maxTokensLimit = 1000) => parseChatCompletionRequest(validate(chatCompletionRequest, body), { maxTokensLimit });
const isInvalid = (param: string) => (e: unknown) => e instanceof GatewayError && e.kind === "invalid_request" && e.param === param;

test("puts system and developer text in the system prompt and keeps the turns in order", () => {
  const request = parse({
    model: "m",
    messages: [
      { role: "system", content: "S1" },
      { role: "developer", content: [{ type: "text", text: "S2" }] },
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello", reasoning_content: "thought" },
      { role: "user", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] },
    ],
  });
  assert.deepEqual(request.system, [{ type: "text", text: "S1" }, { type: "text", text: "S2" }]);
  assert.deepEqual(request.messages, [
    { role: "user", content: [{ type: "text", text: "hi" }] },
    { role: "assistant", content: [{ type: "thinking", text: "thought" }, { type: "text", text: "hello" }] },
    { role: "user", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] },
  ]);
});

test("reads sampling: max_completion_tokens over max_tokens, stop as string or list", () => {
  const request = parse({
    model: "m", messages: [{ role: "user", content: "x" }],
    max_tokens: 5, max_completion_tokens: 7, temperature: 0.5, top_p: 0.8, seed: 3, stop: "END",
  });
  assert.deepEqual(request.sampling, { stop: ["END"], maxTokens: 7, temperature: 0.5, topP: 0.8, seed: 3 });
  assert.deepEqual(parse({ model: "m", messages: [{ role: "user", content: "x" }], stop: ["a", "", "b"] }).sampling.stop, ["a", "b"]);
});

test("assistant tool calls and tool results become canonical parts", () => {
  const request = parse({
    model: "m",
    messages: [
      { role: "user", content: "weather?" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "w", arguments: '{"city":"Oslo"}' } }] },
      { role: "tool", tool_call_id: "call_1", content: "sunny" },
    ],
  });
  assert.deepEqual(request.messages.slice(1), [
    { role: "assistant", content: [{ type: "tool_call", id: "call_1", name: "w", arguments: { city: "Oslo" } }] },
    { role: "tool", content: [{ type: "tool_result", toolCallId: "call_1", content: [{ type: "text", text: "sunny" }] }] },
  ]);
});

test("refuses what it cannot honour, naming the parameter", () => {
  const msgs = [{ role: "user", content: "x" }];
  assert.equal(parse({ model: "m", messages: msgs, max_tokens: 1001 }).sampling.maxTokens, 1000, "lowered to MAX_TOKENS_LIMIT");
  assert.throws(() => parse({ model: "m", messages: msgs, n: 9 }), isInvalid("n"));
  assert.throws(() => parse({ model: "m", messages: msgs, temperature: 3 }), isInvalid("temperature"));
  assert.throws(() => parse({ model: "m", messages: [] }), isInvalid("messages"));
  assert.throws(() => parse({ model: "m", messages: [{ role: "system", content: "only" }] }), isInvalid("messages"));
  assert.throws(() => parse({ messages: msgs }), isInvalid("model"));
  assert.throws(() => parse({ model: "m", messages: [{ role: "user", content: [{ type: "input_audio", input_audio: {} }] }] }), isInvalid("messages[0].content[0].type"));
  assert.throws(() => parse({ model: "m", messages: [{ role: "user", content: "x" }, { role: "assistant", tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{" } }] }] }),
    isInvalid("messages[1].tool_calls[0].function.arguments"));
});

test("tolerates fields it does not use", () => {
  assert.doesNotThrow(() => parse({ model: "m", messages: [{ role: "user", content: "x", extra: 1 }], logit_bias_extra: {}, user: "u" }));
});

test("reads tools, tool_choice in every form, and parallel_tool_calls", () => {
  const tools = [{ type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }, { type: "function", function: { name: "noargs" } }];
  const request = parse({ model: "m", messages: [{ role: "user", content: "x" }], tools, parallel_tool_calls: false });
  assert.deepEqual(request.tools, [
    { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
    { name: "noargs", parameters: { type: "object", properties: {} } },
  ]);
  assert.equal(request.parallelToolCalls, false);
  for (const choice of ["none", "auto", "required"] as const) {
    assert.deepEqual(parse({ model: "m", messages: [{ role: "user", content: "x" }], tools, tool_choice: choice }).toolChoice, { type: choice });
  }
  assert.deepEqual(parse({ model: "m", messages: [{ role: "user", content: "x" }], tools, tool_choice: { type: "function", function: { name: "noargs" } } }).toolChoice, { type: "tool", name: "noargs" });
  assert.throws(() => parse({ model: "m", messages: [{ role: "user", content: "x" }], tool_choice: "required" }), isInvalid("tool_choice"));
  assert.throws(() => parse({ model: "m", messages: [{ role: "user", content: "x" }], functions: [{ name: "f" }] }), isInvalid("functions"));
});

test("reasoning_effort switches thinking: none off, the others on with a budget that grows", () => {
  const effort = (reasoning_effort: string) => parse({ model: "m", messages: [{ role: "user", content: "x" }], reasoning_effort }).thinking;
  assert.deepEqual(effort("none"), { enabled: false });
  assert.deepEqual(effort("low"), { enabled: true, budgetTokens: 1024 });
  assert.deepEqual(effort("high"), { enabled: true });
  assert.equal(parse({ model: "m", messages: [{ role: "user", content: "x" }] }).thinking, undefined);
});
