import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../../core/gateway-error.js";
import { validate } from "../../validate.js";
import { parseEmbeddingRequest } from "./parse-request.js";
import { embeddingRequest, MAX_EMBEDDING_INPUTS, MAX_EMBEDDING_TOKEN_IDS } from "./schema.js";

const parse = (body: Record<string, unknown>) => parseEmbeddingRequest(validate(embeddingRequest, { model: "m", ...body }));

function refusal(body: Record<string, unknown>): GatewayError {
  try {
    parse(body);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail(`accepted ${JSON.stringify(body).slice(0, 100)}`);
}

test("every shape of OpenAI's input becomes a list of inputs in order", () => {
  assert.deepEqual(parse({ input: "a" }).inputs, ["a"]);
  assert.deepEqual(parse({ input: ["a", "b"] }).inputs, ["a", "b"]);
  assert.deepEqual(parse({ input: [1, 2, 3] }).inputs, [[1, 2, 3]]);
  assert.deepEqual(parse({ input: [[1, 2], [3]] }).inputs, [[1, 2], [3]]);
});

test("dimensions and vLLM's truncate_prompt_tokens are carried; user and encoding_format are accepted", () => {
  const request = parse({ input: "a", dimensions: 8, truncate_prompt_tokens: 16, user: "u", encoding_format: "base64" });
  assert.equal(request.dimensions, 8);
  assert.equal(request.truncateTokens, 16);
  assert.equal(parse({ input: "a", truncate_prompt_tokens: -1 }).truncateTokens, -1);
  assert.equal(parse({ input: "a" }).dimensions, undefined);
});

test("empty inputs, mixed lists, bad token ids and unknown formats are 400s naming the field", () => {
  assert.equal(refusal({ input: "" }).param, "input");
  assert.equal(refusal({ input: [] }).param, "input");
  assert.equal(refusal({ input: ["a", 1] }).param, "input");
  assert.equal(refusal({ input: [1.5] }).param, "input");
  assert.equal(refusal({ input: [-1] }).param, "input[0]");
  assert.equal(refusal({ input: ["a", ""] }).param, "input[1]");
  assert.equal(refusal({ input: "a", encoding_format: "int8" }).param, "encoding_format");
  assert.equal(refusal({ input: "a", dimensions: 0 }).param, "dimensions");
  assert.equal(refusal({ input: "a", truncate_prompt_tokens: 0 }).param, "truncate_prompt_tokens");
});

test("more inputs or token ids than the bounds are refused as input limits", () => {
  assert.equal(parse({ input: Array.from({ length: MAX_EMBEDDING_INPUTS }, () => "x") }).inputs.length, MAX_EMBEDDING_INPUTS);
  const tooMany = refusal({ input: Array.from({ length: MAX_EMBEDDING_INPUTS + 1 }, () => "x") });
  assert.equal(tooMany.reason, "input_limit");
  const ids = refusal({ input: Array.from({ length: 2 }, () => Array.from({ length: MAX_EMBEDDING_TOKEN_IDS / 2 + 1 }, () => 1)) });
  assert.equal(ids.reason, "input_limit");
});
