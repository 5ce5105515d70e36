import assert from "node:assert/strict";
import { test } from "node:test";
import type { LlamaModel, Token } from "node-llama-cpp";
import { LlamaVocabularyType } from "node-llama-cpp";
import { dropLeading, TokenLogprobs } from "./token-logprobs.js";

// A byte-level BPE vocabulary: "Ġ" is GPT-2's symbol for a space, "â" the byte 0xe2 (the start of a 3-byte character).
const VOCABULARY = ["a", "b", "Ġc", "â"];
const model = {
  vocabularyType: LlamaVocabularyType.bpe,
  fileInfo: { metadata: { tokenizer: { ggml: { tokens: VOCABULARY } } } },
  detokenize: () => { throw new Error("the vocabulary has every entry"); },
} as unknown as LlamaModel;

/** The patch's report for logits over the whole vocabulary: the top `k` (at least 1), then the sampled token's. */
function report(logits: number[], sampled: number, k: number): [number[], number] {
  const order = logits.map((logit, token) => ({ token, logit })).sort((a, b) => b.logit - a.logit);
  const max = order[0]!.logit;
  const pairs = order.slice(0, Math.max(1, k)).flatMap(({ token, logit }) => [token, logit]);
  return [[...pairs, sampled, logits[sampled]!], logits.reduce((sum, logit) => sum + Math.exp(logit - max), 0)];
}

test("log-probabilities are a softmax of the reported logits, with text and bytes from the vocabulary", () => {
  const logits = [2, 1, 0.5, -Infinity];
  const logprobs = new TokenLogprobs(model, 2);
  logprobs.onSampled(1 as Token, ...report(logits, 1, 2));
  const [entry] = logprobs.take([1 as Token]);
  const z = Math.log(Math.exp(2) + Math.exp(1) + Math.exp(0.5));
  assert.ok(Math.abs(entry!.logprob - (1 - z)) < 1e-12);
  assert.deepEqual(entry!.top.map((t) => t.token), ["a", "b"]);
  assert.ok(Math.abs(entry!.top[0]!.logprob - (2 - z)) < 1e-12);
  assert.equal(entry!.top[1]!.logprob, entry!.logprob);
  assert.deepEqual(entry!.bytes, [98]);
});

test("a token ruled out gets OpenAI's floor; a partial character shows U+FFFD and keeps its byte", () => {
  const logprobs = new TokenLogprobs(model, 4);
  logprobs.onSampled(2 as Token, ...report([0, 0, 1, -Infinity], 2, 4));
  const [entry] = logprobs.take([2 as Token]);
  assert.equal(entry!.token, " c");
  assert.deepEqual(entry!.bytes, [32, 99]);
  const last = entry!.top.at(-1)!;
  assert.deepEqual([last.token, last.bytes, last.logprob], ["\uFFFD", [0xe2], -9999]);
});

test("take hands out the chunk's tokens in order and drops sampled tokens that made no text", () => {
  const logprobs = new TokenLogprobs(model, 0);
  for (const token of [0, 3, 1, 2]) logprobs.onSampled(token as Token, ...report([1, 1, 1, 1], token, 0));
  const taken = logprobs.take([1 as Token, 2 as Token]);
  assert.deepEqual(taken.map((t) => t.token), ["b", " c"]);
  assert.deepEqual(taken.map((t) => t.top.length), [0, 0]);
  assert.deepEqual(logprobs.take([0 as Token]), []);
});

test("dropLeading drops the tokens a trimmed chunk lost whole", () => {
  const entry = (token: string) => ({ token, bytes: [...Buffer.from(token)], logprob: -1, top: [] });
  assert.deepEqual(dropLeading([entry("\n"), entry("\n"), entry("Hi")], 2).map((e) => e.token), ["Hi"]);
  assert.deepEqual(dropLeading([entry("Hi")], 0).map((e) => e.token), ["Hi"]);
});
