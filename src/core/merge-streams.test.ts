import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { mergeStreams } from "./merge-streams.js";

async function* timed(values: string[], delay: number, onEnd: () => void = () => undefined): AsyncGenerator<string> {
  try {
    for (const value of values) {
      await sleep(delay);
      yield value;
    }
  } finally {
    onEnd();
  }
}

test("yields every item of every stream, tagged with its stream's index, as they arrive", async () => {
  const out = [];
  for await (const item of mergeStreams([timed(["a1", "a2"], 5), timed(["b1"], 1)])) out.push(item);
  assert.deepEqual(out.map((i) => `${i.index}:${i.value}`).sort(), ["0:a1", "0:a2", "1:b1"]);
  assert.deepEqual(out[0], { index: 1, value: "b1" });
});

test("leaving early ends the streams still running", async () => {
  let ended = 0;
  for await (const item of mergeStreams([timed(["a1", "a2", "a3"], 2, () => ended++), timed(["b1", "b2", "b3"], 3, () => ended++)])) {
    if (item.value === "a1") break;
  }
  assert.equal(ended, 2);
});

async function* breaksAfter(delay: number): AsyncGenerator<string> {
  yield "first";
  await sleep(delay);
  throw new Error("upstream broke");
}

/** Runs `body`, failing if any promise rejection went unhandled meanwhile (Node 20 would exit on it). */
async function withoutUnhandledRejections(body: () => Promise<void>): Promise<void> {
  const unhandled: unknown[] = [];
  const note = (reason: unknown): void => void unhandled.push(reason);
  process.on("unhandledRejection", note);
  try {
    await body();
    await sleep(20);
  } finally {
    process.off("unhandledRejection", note);
  }
  assert.deepEqual(unhandled, []);
}

test("a stream that breaks while the consumer is paused is reported at the next read, never left unhandled", async () => {
  await withoutUnhandledRejections(async () => {
    const merged = mergeStreams([breaksAfter(5), timed(["b1", "b2"], 100)]);
    assert.equal((await merged.next()).value?.value, "first");
    await sleep(30);
    await assert.rejects(async () => {
      for (;;) if ((await merged.next()).done === true) break;
    }, /upstream broke/);
  });
});

test("a stream that breaks after the consumer left leaves no unhandled rejection", async () => {
  await withoutUnhandledRejections(async () => {
    const merged = mergeStreams([breaksAfter(5), timed(["b1", "b2"], 100)]);
    await merged.next();
    // The consumer is gone: nobody reads on, and nobody calls return().
    await sleep(30);
  });
});
