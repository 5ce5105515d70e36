import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../core/gateway-error.js";
import { MemoryBudget, type Evictable } from "./memory-budget.js";

interface FakeModel extends Evictable {
  idle: number | undefined;
  resident: number;
}

function model(budget: MemoryBudget, id: string, idleSince: number | undefined, unloaded: string[], residentUntil = 0): FakeModel {
  const m: FakeModel = {
    id, idle: idleSince, resident: residentUntil,
    idleSince: () => m.idle,
    residentUntil: () => m.resident,
    unload: async () => { unloaded.push(id); budget.release(id); },
  };
  budget.register(m);
  return m;
}

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(() => { done = true; }, () => { done = true; });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

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

test("refuses at once, with a clear error, a model that unloading every other could not make room for", async () => {
  const budget = new MemoryBudget(100);
  budget.hold("default", 70);
  model(budget, "busy", undefined, []);
  await budget.reserve("busy", 20);
  await assert.rejects(budget.reserve("big", 40), (e: unknown) => e instanceof GatewayError && e.kind === "unavailable" && /needs about/.test(e.message));
  assert.equal(budget.usedBytes, 90, "a refused reservation holds nothing");
});

test("a model within its residency is not unloaded: the one that needs its room waits, and gets it when the residency ends", async () => {
  const budget = new MemoryBudget(100);
  const unloaded: string[] = [];
  const resident = model(budget, "a", 1, unloaded, Date.now() + 60_000);
  await budget.reserve("a", 80);
  const waiting = budget.reserve("b", 80);
  assert.equal(await settled(waiting), false, "b waits");
  assert.equal(budget.draining(resident), false, "within its residency a takes requests");
  assert.deepEqual(unloaded, []);
  resident.resident = 0;
  budget.changed();
  await waiting;
  assert.deepEqual(unloaded, ["a"]);
  assert.equal(budget.usedBytes, 80);
});

test("past its residency a busy model drains while another waits for its room, and takes requests again once that one has it", async () => {
  const budget = new MemoryBudget(100);
  const unloaded: string[] = [];
  const busy = model(budget, "a", undefined, unloaded);
  await budget.reserve("a", 80);
  assert.equal(budget.draining(busy), false, "nobody waits yet");
  const waiting = budget.reserve("b", 80);
  assert.equal(await settled(waiting), false);
  assert.equal(budget.draining(busy), true, "a takes no new requests while b waits");
  busy.idle = 5;
  budget.changed();
  await waiting;
  assert.deepEqual(unloaded, ["a"]);
  assert.equal(budget.draining(busy), false);
});

test("the wait is bounded: past maxWaitMs it is refused as overloaded, and an abandoned wait gives up at once", async () => {
  const budget = new MemoryBudget(100);
  const busy = model(budget, "a", undefined, []);
  await budget.reserve("a", 80);
  await assert.rejects(budget.reserve("b", 80, { maxWaitMs: 20 }), (e: unknown) => e instanceof GatewayError && e.kind === "overloaded" && e.retryAfter !== undefined);
  assert.equal(budget.draining(busy), false, "nobody waits any more");
  const abandon = new AbortController();
  const abandoned = budget.reserve("b", 80, { maxWaitMs: 0, signal: abandon.signal });
  assert.equal(await settled(abandoned), false);
  abandon.abort();
  await assert.rejects(abandoned);
  assert.equal(budget.usedBytes, 80);
});
