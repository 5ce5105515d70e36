import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyChatRequest, type Sampling } from "../../core/chat-request.js";
import { samplingOptions } from "./sampling-options.js";

const context = { maxTokens: 10, tokenBias: undefined, defaults: { temperature: 0.7, topP: 0.9 }, signal: new AbortController().signal };
const options = (sampling: Partial<Sampling>) => samplingOptions({ ...emptyChatRequest("m"), sampling: { stop: [], ...sampling } }, context);

test("no penalty asked for: node-llama-cpp's repeat penalty is off, not its no-op default", () => {
  assert.equal(options({}).repeatPenalty, false);
  assert.equal("minP" in options({}), false);
});

test("presence and frequency penalties, and llama.cpp's repeat penalty over the reply's last tokens", () => {
  assert.deepEqual(options({ presencePenalty: 0.5 }).repeatPenalty, { penalty: 1, presencePenalty: 0.5, frequencyPenalty: 0 });
  assert.deepEqual(options({ repeatPenalty: { penalty: 1.1, lastTokens: 32 } }).repeatPenalty, { penalty: 1.1, presencePenalty: 0, frequencyPenalty: 0, lastTokens: 32 });
  assert.deepEqual(options({ repeatPenalty: { penalty: 1.2 } }).repeatPenalty, { penalty: 1.2, presencePenalty: 0, frequencyPenalty: 0 });
  // node-llama-cpp slices the reply's last lastTokens: the whole reply is any number at least its length.
  assert.deepEqual(options({ repeatPenalty: { penalty: 1.2, lastTokens: Infinity } }).repeatPenalty, { penalty: 1.2, presencePenalty: 0, frequencyPenalty: 0, lastTokens: Number.MAX_SAFE_INTEGER });
  assert.equal(options({ minP: 0.05 }).minP, 0.05);
});
