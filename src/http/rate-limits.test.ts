import assert from "node:assert/strict";
import { test } from "node:test";
import { TokenBudget } from "./rate-limits.js";

test("a token budget counts per client in one-minute windows", () => {
  let now = 0;
  const budget = new TokenBudget(100, () => now);
  budget.spend("a", 70);
  assert.deepEqual(budget.state("a"), { remaining: 30, resetSeconds: 60 });
  assert.deepEqual(budget.state("b"), { remaining: 100, resetSeconds: 60 });
  budget.spend("a", 50);
  now = 45_000;
  assert.deepEqual(budget.state("a"), { remaining: 0, resetSeconds: 15 });
  now = 60_000;
  assert.deepEqual(budget.state("a"), { remaining: 100, resetSeconds: 60 });
});
