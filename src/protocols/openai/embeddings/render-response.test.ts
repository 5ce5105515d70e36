import assert from "node:assert/strict";
import { test } from "node:test";
import { unitVector } from "../../../core/embed-request.js";
import { renderEmbeddings } from "./render-response.js";

const result = { vectors: [unitVector([1, 2, 3, 4]), unitVector([-0.5, 0.25, 0, 8])], promptTokens: 7 };

test("floats are rendered in input order with OpenAI's objects and usage", () => {
  const body = renderEmbeddings(result, "embed", "float");
  assert.equal(body.object, "list");
  assert.equal(body.model, "embed");
  assert.deepEqual(body.usage, { prompt_tokens: 7, total_tokens: 7 });
  assert.deepEqual(body.data.map((d) => [d.object, d.index]), [["embedding", 0], ["embedding", 1]]);
  assert.deepEqual(body.data[1]!.embedding, result.vectors[1]);
});

test("base64 is little-endian float32 bytes, which decode back to the vector", () => {
  const body = renderEmbeddings(result, "embed", "base64");
  body.data.forEach((d, i) => {
    assert.equal(typeof d.embedding, "string");
    const bytes = Buffer.from(d.embedding as string, "base64");
    // Decoded independently of the renderer: a Float32Array over the bytes, as the openai SDK does.
    const decoded = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    assert.equal(decoded.length, 4);
    decoded.forEach((x, j) => assert.ok(Math.abs(x - result.vectors[i]![j]!) < 1e-7, `component ${j}`));
  });
  // 1.0 as float32 little-endian is 00 00 80 3f.
  const one = Buffer.from(renderEmbeddings({ vectors: [[1]], promptTokens: 1 }, "m", "base64").data[0]!.embedding as string, "base64");
  assert.deepEqual([...one], [0x00, 0x00, 0x80, 0x3f]);
});
