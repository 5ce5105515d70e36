import assert from "node:assert/strict";
import { test } from "node:test";
import { cancelWith, Cancelled, type CancelCause } from "../../core/cancel-cause.js";
import { GatewayError } from "../../core/gateway-error.js";
import { SlotScheduler } from "./slot-scheduler.js";

const live = (): AbortSignal => new AbortController().signal;

test("hands out free slots, then queues in order", async () => {
  const scheduler = new SlotScheduler({ slots: ["a", "b"], maxQueue: 4 });
  assert.equal(await scheduler.acquire(live()), "a");
  assert.equal(await scheduler.acquire(live()), "b");
  const third = scheduler.acquire(live());
  const fourth = scheduler.acquire(live());
  assert.equal(scheduler.queued, 2);
  scheduler.release("b");
  assert.equal(await third, "b");
  scheduler.release("a");
  assert.equal(await fourth, "a");
});

test("refuses as overloaded when the queue is full", async () => {
  const scheduler = new SlotScheduler({ slots: ["a"], maxQueue: 1 });
  await scheduler.acquire(live());
  void scheduler.acquire(live());
  await assert.rejects(scheduler.acquire(live()), (e: unknown) => e instanceof GatewayError && e.kind === "overloaded" && e.retryAfter === 1);
});

const cancelledBy = (type: CancelCause["type"]) => (e: unknown): boolean => e instanceof Cancelled && e.cancelCause.type === type;

test("drops a waiter whose signal aborts, so the slot goes to the next one, rejecting it with the signal's cancellation", async () => {
  const scheduler = new SlotScheduler({ slots: ["a"], maxQueue: 4 });
  await scheduler.acquire(live());
  const leaving = new AbortController();
  const gone = scheduler.acquire(leaving.signal);
  const staying = scheduler.acquire(live());
  cancelWith(leaving, { type: "shutdown" });
  await assert.rejects(gone, cancelledBy("shutdown"));
  assert.equal(scheduler.queued, 1);
  scheduler.release("a");
  assert.equal(await staying, "a");
});

test("lets the request choose among free slots", async () => {
  const scheduler = new SlotScheduler({ slots: ["a", "b", "c"], maxQueue: 0 });
  assert.equal(await scheduler.acquire(live(), (free) => free.find((s) => s === "c")!), "c");
  assert.equal(scheduler.idle, 2);
});

test("refuses as overloaded a waiter that waits past the limit, and gives its place up", async () => {
  const scheduler = new SlotScheduler({ slots: ["a"], maxQueue: 4, maxWaitMs: 30 });
  await scheduler.acquire(live());
  const started = performance.now();
  await assert.rejects(scheduler.acquire(live()), (e: unknown) => e instanceof GatewayError && e.kind === "overloaded" && /Waited 0.03 s/.test(e.message));
  assert.ok(performance.now() - started >= 25);
  assert.equal(scheduler.queued, 0);
  const next = scheduler.acquire(live());
  scheduler.release("a");
  assert.equal(await next, "a", "a waiter served in time is not refused later");
});

test("takes several slots together: a request needing two waits for two, and one arriving later waits behind it", async () => {
  const scheduler = new SlotScheduler({ slots: ["a", "b"], maxQueue: 4 });
  const first = await scheduler.acquire(live());
  const pair = scheduler.acquireMany(2, live());
  const single = scheduler.acquire(live());
  let paired = false;
  void pair.then(() => { paired = true; });
  await Promise.resolve();
  assert.equal(paired, false, "one free slot is not enough for two");
  assert.equal(scheduler.idle, 1, "and the free one is not handed out piecemeal");
  scheduler.release(first);
  assert.deepEqual((await pair).sort(), ["a", "b"]);
  scheduler.release("a");
  assert.equal(await single, "a");
});

test("refuses at once a request needing more slots than exist", async () => {
  const scheduler = new SlotScheduler({ slots: ["a", "b"], maxQueue: 4 });
  await assert.rejects(scheduler.acquireMany(3, live()), (e: unknown) => e instanceof GatewayError && e.kind === "invalid_request");
  assert.equal(scheduler.queued, 0);
});

test("refuses at once, with its cancellation, a request whose signal has already aborted", async () => {
  const scheduler = new SlotScheduler({ slots: ["a"], maxQueue: 4 });
  const gone = new AbortController();
  gone.abort();
  await assert.rejects(scheduler.acquire(gone.signal), cancelledBy("client_gone"));
  assert.equal(scheduler.idle, 1);
});
