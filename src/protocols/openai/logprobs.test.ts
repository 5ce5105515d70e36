import assert from "node:assert/strict";
import { test } from "node:test";
import type { TokenLogprob } from "../../core/chat-event.js";
import { renderLegacyLogprobs, renderTokenLogprobs } from "./logprobs.js";

const tokens: TokenLogprob[] = [
  { token: "Hi", bytes: [72, 105], logprob: -0.5, top: [{ token: "Hi", bytes: [72, 105], logprob: -0.5 }, { token: "Ho", bytes: [72, 111], logprob: -1.5 }] },
  { token: "\uFFFD", bytes: [0xe2], logprob: -2, top: [{ token: "__proto__", bytes: [95], logprob: -1 }, { token: "constructor", bytes: [99], logprob: -1.2 }, { token: "constructor", bytes: [99, 32], logprob: -3 }] },
];

test("chat completions' shape: token, bytes, logprob and the alternatives in order", () => {
  assert.deepEqual(renderTokenLogprobs(tokens), [
    { token: "Hi", bytes: [72, 105], logprob: -0.5, top_logprobs: [{ token: "Hi", bytes: [72, 105], logprob: -0.5 }, { token: "Ho", bytes: [72, 111], logprob: -1.5 }] },
    { token: "\uFFFD", bytes: [0xe2], logprob: -2, top_logprobs: [{ token: "__proto__", bytes: [95], logprob: -1 }, { token: "constructor", bytes: [99], logprob: -1.2 }, { token: "constructor", bytes: [99, 32], logprob: -3 }] },
  ]);
});

test("legacy shape: parallel lists, alternatives keyed by text (the likelier kept), offsets from the start given", () => {
  const legacy = renderLegacyLogprobs(tokens, 10);
  assert.deepEqual(legacy.tokens, ["Hi", "\uFFFD"]);
  assert.deepEqual(legacy.token_logprobs, [-0.5, -2]);
  assert.deepEqual(legacy.text_offset, [10, 12]);
  assert.equal(JSON.stringify(legacy.top_logprobs), '[{"Hi":-0.5,"Ho":-1.5},{"__proto__":-1,"constructor":-1.2}]');
});
