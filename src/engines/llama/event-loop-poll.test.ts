import assert from "node:assert/strict";
import { test } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { EventLoopPoll } from "./event-loop-poll.js";

/** The share of `ms` the event loop spent awake (not waiting in epoll), by Node's own account. */
async function loopUtilization(ms: number): Promise<number> {
  const before = performance.eventLoopUtilization();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return performance.eventLoopUtilization(before).utilization;
}

test("polls while any generation holds it and stops after the last release", async () => {
  const poll = new EventLoopPoll();
  const first = poll.hold();
  const second = poll.hold();
  first();
  first(); // a second call does not release the other holder
  assert.ok(await loopUtilization(100) > 0.5, "still polling for the second holder");
  second();
  await nextTurn();
  assert.ok(await loopUtilization(100) < 0.5, "asleep once both have released");
});

test("a held poll keeps the loop from sleeping; released, it sleeps again", async () => {
  const poll = new EventLoopPoll();
  const release = poll.hold();
  const held = await loopUtilization(100);
  release();
  await nextTurn();
  const released = await loopUtilization(100);
  assert.ok(held > 0.5, `awake ${held.toFixed(2)} of the time while held`);
  assert.ok(released < 0.5, `awake ${released.toFixed(2)} of the time once released`);
});
