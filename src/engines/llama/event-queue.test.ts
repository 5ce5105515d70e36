import assert from "node:assert/strict";
import { test } from "node:test";
import { EventQueue } from "./event-queue.js";

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test("a waiting reader hears of pushed items when the scheduled wake runs, not before", async () => {
  const wakes: Array<() => void> = [];
  const queue = new EventQueue<number>({ scheduleWake: (wake) => wakes.push(wake) });
  const read: number[] = [];
  const reading = (async () => {
    for await (const item of queue) read.push(item);
  })();
  await tick();
  queue.push(1);
  queue.push(2);
  await tick();
  assert.deepEqual(read, []);
  assert.equal(wakes.length, 1, "one wake for the items pushed while it was pending");
  wakes.shift()!();
  await tick();
  assert.deepEqual(read, [1, 2]);
  queue.push(3);
  queue.close();
  await reading;
  assert.deepEqual(read, [1, 2, 3], "closing wakes the reader at once");
});

test("the overflow callback fires once, when one more item than the limit waits", () => {
  let overflows = 0;
  const queue = new EventQueue<number>({ limit: 2, onOverflow: () => overflows++ });
  for (let i = 0; i < 5; i++) queue.push(i);
  assert.equal(overflows, 1);
});
