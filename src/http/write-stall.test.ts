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

test("cuts off a client whose socket stays full for the timeout", async () => {
  const { reply, raw } = fakeReply();
  let stalled = 0;
  watchWriteStall(reply, 100, () => stalled++);
  raw.writableNeedDrain = true;
  await wait(350);
  assert.equal(stalled, 1);
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
