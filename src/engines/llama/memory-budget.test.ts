import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../core/gateway-error.js";
import { MemoryBudget, type Evictable } from "./memory-budget.js";

function model(budget: MemoryBudget, id: string, idleSince: number | undefined, unloaded: string[]): Evictable {
  const m: Evictable = { id, idleSince: () => idleSince, unload: async () => { unloaded.push(id); budget.release(id); } };
  budget.register(m);
  return m;
}

test("a model that does not fit unloads the least recently used idle ones, and only as many as needed", async () => {
  const budget = new MemoryBudget(100);
  const unloaded: string[] = [];
  model(budget, "old", 1, unloaded);
  model(budget, "recent", 5, unloaded);
  model(budget, "busy", undefined, unloaded);
  await budget.reserve("old", 30);
  await budget.reserve("recent", 30);
  await budget.reserve("busy", 30);
  await budget.reserve("new", 40);
  assert.deepEqual(unloaded, ["old"]);
  assert.equal(budget.usedBytes, 100);
});

test("refuses with a clear error when nothing idle can be unloaded", async () => {
  const budget = new MemoryBudget(100);
  model(budget, "busy", undefined, []);
  await budget.reserve("busy", 80);
  await assert.rejects(budget.reserve("big", 40), (e: unknown) => e instanceof GatewayError && e.kind === "unavailable" && /needs about/.test(e.message));
  assert.equal(budget.usedBytes, 80, "a refused reservation holds nothing");
});
