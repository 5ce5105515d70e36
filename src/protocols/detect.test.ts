import assert from "node:assert/strict";
import { test } from "node:test";
import { detectProtocol } from "./detect.js";

const plain = { model: "m", messages: [{ role: "user", content: "Hi" }] };

const CASES: Array<{ name: string; headers?: Record<string, string>; body: unknown; expect: string }> = [
  { name: "explicit header wins over body signals", headers: { "x-lals-protocol": "anthropic" }, body: { ...plain, n: 2 }, expect: "anthropic-messages" },
  { name: "explicit openai header", headers: { "x-lals-protocol": "openai" }, body: { ...plain, system: "s" }, expect: "openai-chat" },
  { name: "anthropic-version header", headers: { "anthropic-version": "2023-06-01" }, body: plain, expect: "anthropic-messages" },
  { name: "top-level system", body: { ...plain, system: "s", max_tokens: 5 }, expect: "anthropic-messages" },
  { name: "stop_sequences", body: { ...plain, stop_sequences: ["x"] }, expect: "anthropic-messages" },
  { name: "tool_result block", body: { model: "m", messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: "x" }] }] }, expect: "anthropic-messages" },
  { name: "thinking block", body: { model: "m", messages: [{ role: "assistant", content: [{ type: "thinking", thinking: "t", signature: "s" }] }] }, expect: "anthropic-messages" },
  { name: "image with source", body: { model: "m", messages: [{ role: "user", content: [{ type: "image", source: { type: "url", url: "u" } }] }] }, expect: "anthropic-messages" },
  { name: "tools with input_schema", body: { ...plain, tools: [{ name: "f", input_schema: {} }] }, expect: "anthropic-messages" },
  { name: "system role", body: { model: "m", messages: [{ role: "system", content: "s" }, { role: "user", content: "u" }] }, expect: "openai-chat" },
  { name: "developer role", body: { model: "m", messages: [{ role: "developer", content: "s" }, { role: "user", content: "u" }] }, expect: "openai-chat" },
  { name: "tool role", body: { model: "m", messages: [{ role: "tool", tool_call_id: "c", content: "x" }] }, expect: "openai-chat" },
  { name: "function tools", body: { ...plain, tools: [{ type: "function", function: { name: "f" } }] }, expect: "openai-chat" },
  { name: "n", body: { ...plain, n: 2 }, expect: "openai-chat" },
  { name: "response_format", body: { ...plain, response_format: { type: "json_object" } }, expect: "openai-chat" },
  { name: "max_completion_tokens", body: { ...plain, max_completion_tokens: 5 }, expect: "openai-chat" },
  { name: "stream_options", body: { ...plain, stream: true, stream_options: { include_usage: true } }, expect: "openai-chat" },
  { name: "image_url part", body: { model: "m", messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "u" } }] }] }, expect: "openai-chat" },
  { name: "Human/Assistant prompt", body: { model: "m", prompt: "\n\nHuman: hi\n\nAssistant:" }, expect: "anthropic-complete" },
  { name: "max_tokens_to_sample", body: { model: "m", prompt: "hi", max_tokens_to_sample: 5 }, expect: "anthropic-complete" },
  { name: "Responses input", body: { model: "m", input: "Hi", max_output_tokens: 5 }, expect: "openai-responses" },
  { name: "Responses instructions with input items", body: { model: "m", instructions: "be brief", input: [{ role: "user", content: "Hi" }] }, expect: "openai-responses" },
  { name: "Responses input declared as openai", headers: { "x-lals-protocol": "openai" }, body: { model: "m", input: "Hi" }, expect: "openai-responses" },
  { name: "Responses input declared as anthropic", headers: { "x-lals-protocol": "anthropic" }, body: { model: "m", input: "Hi" }, expect: "refused: OpenAI Responses request" },
  { name: "plain prompt", body: { model: "m", prompt: "Once upon a time" }, expect: "openai-completions" },
  { name: "ambiguous body → the default", body: { ...plain, max_tokens: 5 }, expect: "openai-chat" },
  { name: "conflicting signals", body: { ...plain, system: "s", n: 2 }, expect: "refused: mixes the two APIs: system (Anthropic) with n (OpenAI)" },
  { name: "neither messages nor prompt", body: { model: "m" }, expect: "refused: neither messages nor prompt" },
  { name: "not an object", body: [1, 2], expect: "refused: neither messages nor prompt" },
  { name: "a role or block type that is no string is no signal (JSON.parse of {\"toString\": \"\"} cannot be made a string)",
    body: { model: "m", messages: [{ role: [{ toString: "" }], content: [{ type: { toString: "" } }] }] }, expect: "openai-chat" },
  { name: "unknown declared protocol", headers: { "x-lals-protocol": "cohere" }, body: plain, expect: "refused: x-lals-protocol must be openai, anthropic or gemini" },
  { name: "Gemini contents", body: { model: "models/m", contents: [{ role: "user", parts: [{ text: "Hi" }] }] }, expect: "gemini-generate-content" },
  { name: "Gemini contents, streamed", body: { model: "m", stream: true, contents: [{ parts: [{ text: "Hi" }] }] }, expect: "gemini-stream-generate-content" },
  { name: "Gemini contents declared as gemini", headers: { "x-lals-protocol": "gemini" }, body: { model: "m", contents: [] }, expect: "gemini-generate-content" },
  { name: "Gemini contents declared as openai", headers: { "x-lals-protocol": "openai" }, body: { model: "m", contents: [] }, expect: "refused: Gemini generateContent request" },
  { name: "Gemini contents without a model", body: { contents: [{ parts: [{ text: "Hi" }] }] }, expect: "refused: names its model in the body" },
  { name: "gemini declared for a chat body", headers: { "x-lals-protocol": "gemini" }, body: plain, expect: "refused: A Gemini request has contents" },
  { name: "contents beside messages is no Gemini signal", body: { ...plain, contents: [] }, expect: "openai-chat" },
];

for (const c of CASES) {
  test(`detects: ${c.name}`, () => {
    const detection = detectProtocol(c.headers ?? {}, c.body, "openai");
    if (c.expect.startsWith("refused: ")) {
      assert.equal(detection.ok, false);
      assert.ok(!detection.ok && detection.message.includes(c.expect.slice(9)), JSON.stringify(detection));
    } else {
      assert.ok(detection.ok, JSON.stringify(detection));
      assert.equal(detection.endpoint, c.expect);
    }
  });
}

test("a Gemini body's model (with or without models/) becomes the path's parameter", () => {
  const detection = detectProtocol({}, { model: "models/gemini-2.5-flash", contents: [] }, "openai");
  assert.ok(detection.ok);
  assert.deepEqual(detection.params, { model: "gemini-2.5-flash" });
  assert.equal(detection.protocol, "gemini");
});

test("the default decides only bodies that fit both", () => {
  const anthropicDefault = detectProtocol({}, { ...plain, max_tokens: 5 }, "anthropic");
  assert.ok(anthropicDefault.ok && anthropicDefault.endpoint === "anthropic-messages" && anthropicDefault.reason.includes("default"));
  const signalled = detectProtocol({}, { ...plain, n: 1 }, "anthropic");
  assert.ok(signalled.ok && signalled.endpoint === "openai-chat");
});
