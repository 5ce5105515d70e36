import assert from "node:assert/strict";
import { test } from "node:test";
import { embedsFromLastToken, kindFromMetadata, ranksFromLastToken } from "./model-kind.js";

test("a pooling type that pools a sequence makes an embedding model", () => {
  assert.equal(kindFromMetadata({ general: { architecture: "qwen3" }, qwen3: { pooling_type: 3 } }), "embedding");
  assert.equal(kindFromMetadata({ general: { architecture: "qwen3" }, qwen3: { pooling_type: 1 } }), "embedding");
});

test("no pooling is a chat model", () => {
  assert.equal(kindFromMetadata({ general: { architecture: "qwen3" }, qwen3: { context_length: 40960 } }), "chat");
  assert.equal(kindFromMetadata({ general: { architecture: "qwen3" }, qwen3: { pooling_type: 0 } }), "chat");
});

test("rank pooling makes a reranker, on a decoder (Qwen3-Reranker) or an encoder (bge-reranker) alike", () => {
  assert.equal(kindFromMetadata({ general: { architecture: "qwen3" }, qwen3: { pooling_type: 4 } }), "reranker");
  assert.equal(kindFromMetadata({ general: { architecture: "bert" }, bert: { pooling_type: 4 } }), "reranker");
});

test("an encoder-only architecture is an embedding model without a pooling type", () => {
  assert.equal(kindFromMetadata({ general: { architecture: "bert" }, bert: {} }), "embedding");
  assert.equal(kindFromMetadata({ general: { architecture: "nomic-bert" } }), "embedding");
  assert.equal(kindFromMetadata({}), "chat");
});

test("a vector read from the last token under causal attention can build on a held prefix; pooling over every token cannot", () => {
  assert.equal(embedsFromLastToken({ general: { architecture: "qwen3" }, qwen3: { pooling_type: 3 } }), true);
  assert.equal(embedsFromLastToken({ general: { architecture: "qwen3" }, qwen3: {} }), true, "no pooling: the last token's output");
  assert.equal(embedsFromLastToken({ general: { architecture: "qwen3" }, qwen3: { pooling_type: 1 } }), false, "mean");
  assert.equal(embedsFromLastToken({ general: { architecture: "qwen3" }, qwen3: { pooling_type: 2 } }), false, "CLS");
  assert.equal(embedsFromLastToken({ general: { architecture: "qwen2" }, qwen2: { pooling_type: 3, attention: { causal: false } } }), false, "bidirectional (gte-Qwen2)");
  assert.equal(embedsFromLastToken({ general: { architecture: "bert" }, bert: { pooling_type: 3 } }), false, "an encoder");
  assert.equal(embedsFromLastToken({ general: { architecture: "gemma3" }, gemma3: { pooling_type: 3, attention: { sliding_window: 512 } } }), false, "a sliding window");
  assert.equal(embedsFromLastToken({}), false);
});

test("a Qwen3 reranker scores from its last token and can build on a held query; a CLS-scored encoder cannot", () => {
  assert.equal(ranksFromLastToken({ general: { architecture: "qwen3" }, qwen3: { pooling_type: 4 } }), true);
  assert.equal(ranksFromLastToken({ general: { architecture: "qwen3vl" }, qwen3vl: { pooling_type: 4 } }), true);
  assert.equal(ranksFromLastToken({ general: { architecture: "bert" }, bert: { pooling_type: 4 } }), false, "bge-reranker");
  assert.equal(ranksFromLastToken({ general: { architecture: "qwen2" }, qwen2: { pooling_type: 4 } }), false, "rank pooling reads the first token there");
  assert.equal(ranksFromLastToken({ general: { architecture: "qwen3" }, qwen3: { pooling_type: 4, attention: { causal: false } } }), false);
  assert.equal(ranksFromLastToken({ general: { architecture: "qwen3" }, qwen3: { pooling_type: 3 } }), false, "not a reranker");
});
