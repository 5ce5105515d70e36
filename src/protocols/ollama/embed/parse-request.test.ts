import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../../core/gateway-error.js";
import { MAX_EMBEDDING_INPUTS } from "../../openai/embeddings/schema.js";
import { validate } from "../../validate.js";
import { parseEmbeddingsRequest, parseEmbedRequest } from "./parse-request.js";
import { embeddingsRequest, embedRequest } from "./schema.js";

const embed = (fields: Record<string, unknown>) => parseEmbedRequest(validate(embedRequest, { model: "all-minilm", ...fields }));

test("input as one text or a list becomes the inputs in order; truncation is on unless truncate is false", () => {
  assert.deepEqual(embed({ input: "Why is the sky blue?" }), { model: "all-minilm", inputs: ["Why is the sky blue?"], truncateTokens: -1 });
  assert.deepEqual(embed({ input: ["a", "b"], dimensions: 8, truncate: true }), { model: "all-minilm", inputs: ["a", "b"], dimensions: 8, truncateTokens: -1 });
  assert.deepEqual(embed({ input: "a", truncate: false }), { model: "all-minilm", inputs: ["a"] });
});

test("an empty or absent input embeds nothing: the request only loads the model", () => {
  assert.equal(embed({}), undefined);
  assert.equal(embed({ input: "" }), undefined);
  assert.equal(embed({ input: [] }), undefined);
});

test("empty items, other types, and more inputs than the bound are 400s", () => {
  const refusal = (fields: Record<string, unknown>): GatewayError => {
    try {
      embed(fields);
    } catch (error) {
      assert.ok(error instanceof GatewayError);
      return error;
    }
    assert.fail("accepted");
  };
  assert.equal(refusal({ input: ["a", ""] }).param, "input[1]");
  assert.equal(refusal({ input: [1, 2] }).param, "input");
  assert.equal(refusal({ input: "a", dimensions: 0 }).param, "dimensions");
  assert.equal(refusal({ input: Array.from({ length: MAX_EMBEDDING_INPUTS + 1 }, () => "x") }).reason, "input_limit");
});

test("the legacy endpoint embeds its prompt, or only loads when it is empty", () => {
  const legacy = (fields: Record<string, unknown>) => parseEmbeddingsRequest(validate(embeddingsRequest, { model: "m", ...fields }));
  assert.deepEqual(legacy({ prompt: "Here is an article about llamas..." }), { model: "m", inputs: ["Here is an article about llamas..."], truncateTokens: -1 });
  assert.equal(legacy({ prompt: "" }), undefined);
  assert.equal(legacy({}), undefined);
});
