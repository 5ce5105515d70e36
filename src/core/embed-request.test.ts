import assert from "node:assert/strict";
import { test } from "node:test";
import { unitVector } from "./embed-request.js";

const length = (v: number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

test("a vector is scaled to unit length, keeping its direction", () => {
  const v = unitVector([3, 4]);
  assert.deepEqual(v, [0.6, 0.8]);
});

test("truncating to fewer dimensions re-normalises what is kept to unit length", () => {
  const v = unitVector([1, 2, 2, 100, -7], 3);
  assert.equal(v.length, 3);
  assert.ok(Math.abs(length(v) - 1) < 1e-12);
  assert.ok(Math.abs(v[0]! - 1 / 3) < 1e-12 && Math.abs(v[1]! - 2 / 3) < 1e-12);
});

test("a zero vector stays zero rather than becoming NaN", () => {
  assert.deepEqual(unitVector([0, 0]), [0, 0]);
});
