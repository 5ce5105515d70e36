import assert from "node:assert/strict";
import { test } from "node:test";
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { SlotPool } from "./slot-pool.js";

/** A stand-in sequence holding `tokens`: all a slot reads of it until it is taken over. */
const sequence = (...tokens: number[]): LlamaContextSequence => ({ contextTokens: tokens as Token[] }) as unknown as LlamaContextSequence;
const live = (): AbortSignal => new AbortController().signal;
const want = (partition: string, cacheKey: string | undefined, ...tokens: number[]) => ({ partition, cacheKey, tokens: tokens as Token[] });

test("a request naming its conversation continues on the free slot that last served it, even when another holds more of its prompt", async () => {
  const pool = new SlotPool({ sequences: [sequence(1, 2, 3, 4), sequence(1, 2, 3, 4, 5, 6)], maxQueue: 4, maxWaitMs: 0 });
  const first = await pool.acquire(want("a", undefined, 9), live());
  const second = await pool.acquire(want("a", undefined, 9), live());
  pool.releaser(first, "conversation")();
  pool.releaser(second, undefined)();
  assert.equal(await pool.acquire(want("a", "conversation", 1, 2, 3, 4, 5, 6, 7), live()), first);
});

test("without a key, the free slot holding most of the prompt is chosen; the releaser hands a slot back once", async () => {
  const pool = new SlotPool({ sequences: [sequence(7, 7), sequence(1, 2, 3)], maxQueue: 4, maxWaitMs: 0 });
  const slot = await pool.acquire(want("a", undefined, 1, 2, 3, 4), live());
  assert.equal(slot.number, 1);
  const release = pool.releaser(slot, undefined);
  release();
  release();
  assert.equal(pool.idle, 2);
});
