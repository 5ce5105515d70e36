import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatResult } from "../../../core/collect.js";
import { renderGenerateContent } from "./render-response.js";

const identity = { model: "gemini-2.5-flash", responseId: "resp1", includeThoughts: false, logprobs: false };
const usage = { inputTokens: 12, cachedTokens: 0, outputTokens: 9, thinkingTokens: 4 };
const result: ChatResult = {
  blocks: [
    { kind: "thinking", text: "the user greets" },
    { kind: "text", text: "Hello!" },
    { kind: "tool_call", id: "c1", name: "get_weather", arguments: "{\"city\":\"Paris\"}" },
  ],
  stopReason: "tool_use",
  usage,
};

test("a reply is one candidate of model parts; a function call is whole with its args as an object, and stops with STOP", () => {
  assert.deepEqual(renderGenerateContent([result], identity), {
    candidates: [{
      content: { role: "model", parts: [{ text: "Hello!" }, { functionCall: { id: "c1", name: "get_weather", args: { city: "Paris" } } }] },
      finishReason: "STOP",
      index: 0,
    }],
    // Gemini counts thoughts apart: candidates 9 - 4, total 12 + 9.
    usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 5, totalTokenCount: 21, thoughtsTokenCount: 4 },
    modelVersion: "gemini-2.5-flash",
    responseId: "resp1",
  });
});

test("thoughts are parts marked `thought` only when the request asked for them", () => {
  const parts = renderGenerateContent([result], { ...identity, includeThoughts: true }).candidates[0]!.content.parts;
  assert.deepEqual(parts[0], { text: "the user greets", thought: true });
  assert.equal(parts.length, 3);
});

test("max_tokens is MAX_TOKENS; cached prompt tokens are reported when there are some", () => {
  const body = renderGenerateContent([{ blocks: [{ kind: "text", text: "Hel" }], stopReason: "max_tokens", usage: { inputTokens: 10, cachedTokens: 6, outputTokens: 3 } }], identity);
  assert.equal(body.candidates[0]!.finishReason, "MAX_TOKENS");
  assert.deepEqual(body.usageMetadata, { promptTokenCount: 10, candidatesTokenCount: 3, totalTokenCount: 13, cachedContentTokenCount: 6 });
});

test("several candidates are indexed in order and their usage counts the prompt once", () => {
  const one = (text: string, outputTokens: number): ChatResult => ({ blocks: [{ kind: "text", text }], stopReason: "end_turn", usage: { inputTokens: 8, cachedTokens: 0, outputTokens } });
  const body = renderGenerateContent([one("a", 2), one("b", 3)], identity);
  assert.deepEqual(body.candidates.map((c) => [c.index, c.content.parts[0]?.text, c.finishReason]), [[0, "a", "STOP"], [1, "b", "STOP"]]);
  assert.deepEqual(body.usageMetadata, { promptTokenCount: 8, candidatesTokenCount: 5, totalTokenCount: 13 });
});

test("log-probabilities, when asked for, are the chosen and the top candidates of each step, and their mean", () => {
  const logprobs = [
    { token: "Hi", bytes: [72, 105], logprob: -0.5, top: [{ token: "Hi", bytes: [72, 105], logprob: -0.5 }, { token: "Yo", bytes: [89, 111], logprob: -1.5 }] },
    { token: "!", bytes: [33], logprob: -1.5, top: [] },
  ];
  const body = renderGenerateContent([{ blocks: [{ kind: "text", text: "Hi!", logprobs }], stopReason: "end_turn", usage }], { ...identity, logprobs: true });
  const candidate = body.candidates[0]!;
  assert.equal(candidate.avgLogprobs, -1);
  assert.deepEqual(candidate.logprobsResult, {
    chosenCandidates: [{ token: "Hi", logProbability: -0.5 }, { token: "!", logProbability: -1.5 }],
    topCandidates: [{ candidates: [{ token: "Hi", logProbability: -0.5 }, { token: "Yo", logProbability: -1.5 }] }, { candidates: [] }],
  });
  assert.equal("logprobsResult" in renderGenerateContent([result], identity).candidates[0]!, false);
});

test("a call whose arguments are not a whole JSON object (cut off by max tokens) is left out; empty arguments are {}", () => {
  const body = renderGenerateContent([{
    blocks: [
      { kind: "tool_call", id: "a", name: "f", arguments: "" },
      { kind: "tool_call", id: "b", name: "f", arguments: "{\"city\": \"Par" },
      { kind: "tool_call", id: "c", name: "f", arguments: "[1]" },
    ],
    stopReason: "max_tokens",
    usage,
  }], identity);
  assert.deepEqual(body.candidates[0]!.content.parts, [{ functionCall: { id: "a", name: "f", args: {} } }]);
  assert.equal(body.candidates[0]!.finishReason, "MAX_TOKENS");
  const nothing = renderGenerateContent([{ blocks: [{ kind: "tool_call", id: "b", name: "f", arguments: "{" }], stopReason: "max_tokens", usage }], identity);
  assert.deepEqual(nothing.candidates[0]!.content.parts, [{ text: "" }], "a reply left with nothing still has a part");
});
