import assert from "node:assert/strict";
import { test } from "node:test";
import type { BatchItem, Token } from "node-llama-cpp";
import { shareBatch } from "./share-batch.js";

const item = (tokens: number, evaluationPriority = 5): BatchItem => ({
  tokens: Array.from({ length: tokens }, (_, i) => i as Token),
  logits: [],
  evaluationPriority: evaluationPriority as BatchItem["evaluationPriority"],
});
const amounts = (items: BatchItem[], size: number): number[] => {
  const shares = shareBatch({ items, size });
  return items.map((i) => shares.find((s) => s.item === i)?.processAmount ?? 0);
};

test("keeps every generating slot in the step while a long prompt is evaluated in chunks", () => {
  assert.deepEqual(amounts([item(1445), item(1), item(1)], 512), [510, 1, 1]);
});

test("splits what is left evenly among several prompts", () => {
  assert.deepEqual(amounts([item(1000), item(1), item(300), item(1000)], 512), [170, 1, 170, 171]);
  assert.deepEqual(amounts([item(100), item(1000)], 512), [100, 412]);
});

test("never hands out more than the batch holds, and leaves out what gets nothing", () => {
  const items = [item(1), item(1), item(1), item(5)];
  const shares = shareBatch({ items, size: 2 });
  assert.equal(shares.reduce((sum, s) => sum + s.processAmount, 0), 2);
  assert.ok(shares.every((s) => s.processAmount > 0));
});

test("evaluates a lone prompt a full batch at a time", () => {
  assert.deepEqual(amounts([item(1445)], 512), [512]);
});
