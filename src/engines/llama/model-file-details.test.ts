import assert from "node:assert/strict";
import { test } from "node:test";
import { flatten, sizeLabelOf } from "./model-file-details.js";

test("parameter counts are labelled as Ollama does", () => {
  assert.equal(sizeLabelOf(596_049_920), "596.05M");
  assert.equal(sizeLabelOf(7_241_732_096), "7.24B");
  assert.equal(sizeLabelOf(1_000_000_000), "1B");
  assert.equal(sizeLabelOf(48_000), "48K");
});

test("metadata flattens to dotted keys, leaving out long arrays and turning bigints into numbers", () => {
  const flat = flatten({ general: { architecture: "qwen3", parameter_count: 10n }, tokenizer: { ggml: { tokens: Array.from({ length: 17 }, (_, i) => `t${i}`), bos: [1, 2] } } });
  assert.deepEqual(flat, { "general.architecture": "qwen3", "general.parameter_count": 10, "tokenizer.ggml.bos": [1, 2] });
});
