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
