import assert from "node:assert/strict";
import { test } from "node:test";
import { TestClock, testContext } from "../test-clock.js";
import { renderEmbed, renderEmbeddings, renderEmbedLoad } from "./render-response.js";

const result = { vectors: [[0.6, 0.8], [1, 0]], promptTokens: 8 };

test("/api/embed answers with the vectors in order, the prompt's tokens and the time since the request came", () => {
  const clock = new TestClock(1014.143917);
  assert.deepEqual(renderEmbed(result, testContext(clock, 1000, "all-minilm")), {
    model: "all-minilm", embeddings: [[0.6, 0.8], [1, 0]], total_duration: 14_143_917, load_duration: 0, prompt_eval_count: 8,
  });
  assert.deepEqual(renderEmbedLoad(testContext(clock, 1000, "all-minilm")), { model: "all-minilm", embeddings: [] });
});

test("the legacy /api/embeddings answers with its one vector", () => {
  assert.deepEqual(renderEmbeddings({ vectors: [[0.5, -0.25]], promptTokens: 3 }), { embedding: [0.5, -0.25] });
});
