import assert from "node:assert/strict";
import { test } from "node:test";
import { renderTokenize } from "./render-response.js";

test("text tokens are ids, or {id, piece} pairs in order when pieces were asked for", () => {
  assert.deepEqual(renderTokenize({ tokens: [1, 2], contextLength: 8 }, "text"), { tokens: [1, 2] });
  assert.deepEqual(renderTokenize({ tokens: [1, 2], pieces: ["He", [0xe6, 0x88]], contextLength: 8 }, "text"),
    { tokens: [{ id: 1, piece: "He" }, { id: 2, piece: [0xe6, 0x88] }] });
});

test("a chat's tokens come with vLLM's count and max_model_len", () => {
  assert.deepEqual(renderTokenize({ tokens: [5, 6, 7], contextLength: 1024 }, "chat"), { tokens: [5, 6, 7], count: 3, max_model_len: 1024 });
});
