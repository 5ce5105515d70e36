import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { test } from "node:test";
import type { FastifyReply } from "fastify";
import { watchWriteStall } from "./write-stall.js";

/** A reply whose socket refuses writes (`writableNeedDrain`) as the test says. */
function fakeReply(): { reply: FastifyReply; raw: EventEmitter & { writableNeedDrain: boolean } } {
  const raw = Object.assign(new EventEmitter(), { writableNeedDrain: false });
  return { reply: { raw } as unknown as FastifyReply, raw };
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `done`, however late a loaded machine runs the watch's timer (up to 10 s), then a few ticks more. */
async function until(done: () => boolean): Promise<void> {
  for (const start = Date.now(); !done() && Date.now() - start < 10_000;) await wait(20);
  await wait(250);
}

test("cuts off a client whose socket stays full for the timeout", async () => {
  const { reply, raw } = fakeReply();
  let stalled = 0;
  watchWriteStall(reply, 100, () => stalled++);
  raw.writableNeedDrain = true;
  await until(() => stalled > 0);
  assert.equal(stalled, 1, "once");
  raw.emit("close");
});

test("a client that keeps draining, however slowly, is not cut off", async () => {
  const { reply, raw } = fakeReply();
  let stalled = 0;
  watchWriteStall(reply, 150, () => stalled++);
  for (let i = 0; i < 6; i++) {
    raw.writableNeedDrain = i % 2 === 0;
    await wait(80);
  }
  raw.emit("close");
  assert.equal(stalled, 0);
});

/** A reply with a socket whose delivery the test sets, as the kernel would report it. */
function replyWithDelivery(): { reply: FastifyReply; raw: EventEmitter & { writableNeedDrain: boolean }; state: { acknowledged: number; waiting: boolean } } {
  const { reply, raw } = fakeReply();
  Object.assign(raw, { socket: new EventEmitter() });
  return { reply, raw, state: { acknowledged: 0, waiting: false } };
}

test("with the kernel's count, a client that acknowledges nothing while data waits is cut off though Node's buffer has room", async () => {
  const { reply, raw, state } = replyWithDelivery();
  let stalled = 0;
  watchWriteStall(reply, 100, () => stalled++, { delivery: () => ({ ...state }) });
  state.waiting = true;
  await until(() => stalled > 0);
  assert.equal(raw.writableNeedDrain, false);
  assert.equal(stalled, 1, "once");
  raw.emit("close");
});

test("with the kernel's count, a client whose acknowledgements keep moving is not cut off though data always waits", async () => {
  const { reply, raw, state } = replyWithDelivery();
  let stalled = 0;
  watchWriteStall(reply, 150, () => stalled++, { delivery: () => ({ ...state }) });
  raw.writableNeedDrain = true;
  state.waiting = true;
  for (let i = 0; i < 8; i++) {
    state.acknowledged += 1000;
    await wait(60);
  }
  raw.emit("close");
  assert.equal(stalled, 0);
});
