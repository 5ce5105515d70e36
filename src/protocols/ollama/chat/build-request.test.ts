import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyChatRequest, type ChatRequest } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { buildOllamaChatRequest } from "./build-request.js";

const base = (extra: Partial<ChatRequest>): ChatRequest => ({ ...emptyChatRequest("asked"), messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], ...extra });

test("a conversation with tool calls, results, thinking and images becomes Ollama's messages", () => {
  const body = buildOllamaChatRequest(base({
    system: [{ type: "text", text: "A" }, { type: "text", text: "B" }],
    messages: [
      { role: "user", content: [{ type: "text", text: "what is this?" }, { type: "image", mediaType: "image/png", data: "iVBOR" }, { type: "image", url: "data:image/jpeg;base64,/9j/" }] },
      { role: "assistant", content: [{ type: "thinking", text: "hm" }, { type: "text", text: "Checking." }, { type: "tool_call", id: "toolu_1", name: "lookup", arguments: { q: "cat" } }] },
      { role: "user", content: [{ type: "tool_result", toolCallId: "toolu_1", content: [{ type: "text", text: "a cat" }], isError: false }, { type: "text", text: "and?" }] },
    ],
  }), "llama3.2:latest");
  assert.deepEqual(body, {
    model: "llama3.2:latest",
    messages: [
      { role: "system", content: "A\nB" },
      { role: "user", content: "what is this?", images: ["iVBOR", "/9j/"] },
      { role: "assistant", content: "Checking.", thinking: "hm", tool_calls: [{ id: "toolu_1", function: { name: "lookup", arguments: { q: "cat" } } }] },
      { role: "tool", content: "a cat", tool_name: "lookup", tool_call_id: "toolu_1" },
      { role: "user", content: "and?" },
    ],
    stream: true,
  });
});

test("sampling goes in options, tools as functions, formats as json or a schema, thinking as on or off", () => {
  const schema = { type: "object", properties: { age: { type: "integer" } } };
  const body = buildOllamaChatRequest(base({
    sampling: { maxTokens: 100, temperature: 0.5, topP: 0.9, topK: 40, seed: 1, stop: ["END"], presencePenalty: 0.1, frequencyPenalty: 0.2, logprobs: { top: 2 } },
    tools: [{ name: "f", description: "F", parameters: { type: "object" } }],
    responseFormat: { type: "json_schema", name: "o", schema },
    thinking: { enabled: true, budgetTokens: 512 },
  }), "m");
  assert.deepEqual(body.options, { num_predict: 100, temperature: 0.5, top_p: 0.9, top_k: 40, seed: 1, stop: ["END"], presence_penalty: 0.1, frequency_penalty: 0.2 });
  assert.deepEqual(body.tools, [{ type: "function", function: { name: "f", description: "F", parameters: { type: "object" } } }]);
  assert.deepEqual(body.format, schema);
  assert.equal(body.think, true);
  assert.deepEqual([body.logprobs, body.top_logprobs], [true, 2]);
  assert.equal(buildOllamaChatRequest(base({ responseFormat: { type: "json" }, thinking: { enabled: false } }), "m").format, "json");
  assert.equal(buildOllamaChatRequest(base({ thinking: {} }), "m").think, undefined);
  assert.equal(buildOllamaChatRequest(base({ tools: [{ name: "f", parameters: {} }], toolChoice: { type: "none" } }), "m").tools, undefined);
});

test("what Ollama cannot be asked for is a 400 naming it", () => {
  const refuses = (param: string) => (e: unknown) => e instanceof GatewayError && e.kind === "invalid_request" && e.param === param;
  assert.throws(() => buildOllamaChatRequest({ ...emptyChatRequest("m"), prompt: "raw" }, "m"), refuses("prompt"));
  assert.throws(() => buildOllamaChatRequest(base({ tools: [{ name: "f", parameters: {} }], toolChoice: { type: "required" } }), "m"), refuses("tool_choice"));
  assert.throws(() => buildOllamaChatRequest(base({ sampling: { stop: [], logitBias: { 1: -100 } } }), "m"), refuses("logit_bias"));
  assert.throws(() => buildOllamaChatRequest(base({ messages: [{ role: "user", content: [{ type: "image", url: "https://example.com/cat.png" }] }] }), "m"), refuses("messages"));
});
