import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { withTicks } from "./keep-alive.js";
import { SSE_KEEP_ALIVE, withKeepAliveComments } from "./sse.js";

async function* slow(): AsyncGenerator<string> {
  await sleep(55);
  yield "a";
  yield "b";
  await sleep(25);
  yield "c";
}

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

test("ticks while the source is silent and passes every item through in order", async () => {
  const out = await drain(withTicks(slow(), 20));
  const values = out.filter((x) => typeof x === "string");
  assert.deepEqual(values, ["a", "b", "c"]);
  const ticksBeforeA = out.indexOf("a");
  assert.ok(ticksBeforeA >= 2, `expected ticks before the first item, got ${JSON.stringify(out)}`);
  assert.ok(out.slice(0, ticksBeforeA).every((x) => typeof x === "object"));
});

test("a source that never pauses gets no ticks", async () => {
  async function* fast(): AsyncGenerator<number> { for (let i = 0; i < 5; i++) yield i; }
  assert.deepEqual(await drain(withTicks(fast(), 1000)), [0, 1, 2, 3, 4]);
});

test("a consumer that leaves mid-wait is not held up by the silent source, which is told to end", async () => {
  let ended = false;
  async function* stuck(): AsyncGenerator<number> {
    try {
      await sleep(200);
      yield 1;
    } finally {
      ended = true;
    }
  }
  const started = Date.now();
  for await (const item of withTicks(stuck(), 10)) {
    assert.equal(typeof item, "object");
    break;
  }
  assert.ok(Date.now() - started < 150);
  await sleep(250);
  assert.equal(ended, true);
});

test("a failing source fails the stream", async () => {
  async function* failing(): AsyncGenerator<number> {
    await sleep(5);
    throw new Error("boom");
  }
  await assert.rejects(drain(withTicks(failing(), 100)), /boom/);
});

test("SSE keep-alive comments fill silences between frames and nothing else", async () => {
  const frames = async function* (): AsyncGenerator<string> {
    yield "data: 1\n\n";
    await new Promise((resolve) => setTimeout(resolve, 130));
    yield "data: 2\n\n";
  };
  const out: string[] = [];
  for await (const frame of withKeepAliveComments(frames(), 50)) out.push(frame);
  assert.equal(out[0], "data: 1\n\n");
  assert.equal(out.at(-1), "data: 2\n\n");
  assert.ok(out.slice(1, -1).length >= 1 && out.slice(1, -1).every((f) => f === SSE_KEEP_ALIVE), JSON.stringify(out));
});
