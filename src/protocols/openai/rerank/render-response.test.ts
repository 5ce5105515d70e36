import assert from "node:assert/strict";
import { test } from "node:test";
import { renderRerank } from "./render-response.js";

const result = { scores: [0.2, 0.9, 0.5, 0.9, 0.1], promptTokens: 40 };
const documents = ["a", "b", "c", "d", "e"];

test("results are sorted by score, best first, with each document's index in the request (ties in document order)", () => {
  const body = renderRerank(result, { model: "rr" });
  assert.deepEqual(body.results.map((r) => r.index), [1, 3, 2, 0, 4]);
  assert.deepEqual(body.results.map((r) => r.relevance_score), [0.9, 0.9, 0.5, 0.2, 0.1]);
  assert.equal(body.model, "rr");
  assert.match(body.id, /^rerank-[A-Za-z0-9]{24}$/);
  assert.deepEqual(body.usage, { prompt_tokens: 40, total_tokens: 40 });
});

test("top_n keeps the best n; 0 or more than there are keeps all", () => {
  assert.deepEqual(renderRerank(result, { model: "rr", topN: 2 }).results.map((r) => r.index), [1, 3]);
  assert.equal(renderRerank(result, { model: "rr", topN: 0 }).results.length, 5);
  assert.equal(renderRerank(result, { model: "rr", topN: 50 }).results.length, 5);
});

test("documents are returned only when asked, each with its own result", () => {
  assert.ok(renderRerank(result, { model: "rr" }).results.every((r) => !("document" in r)));
  const body = renderRerank(result, { model: "rr", documents, topN: 3 });
  assert.deepEqual(body.results.map((r) => [r.index, r.document?.text]), [[1, "b"], [3, "d"], [2, "c"]]);
});
