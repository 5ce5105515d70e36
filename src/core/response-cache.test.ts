import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatEvent } from "./chat-event.js";
import { emptyChatRequest } from "./chat-request.js";
import { GatewayError } from "./gateway-error.js";
import { cacheKey, isDeterministic, ResponseCache, throughCache } from "./response-cache.js";

const reply: ChatEvent[] = [
  { type: "start", inputTokens: 3, cachedTokens: 0 },
  { type: "block_start", index: 0, kind: "text" },
  { type: "text_delta", index: 0, text: "hi" },
  { type: "block_end", index: 0 },
  { type: "end", stopReason: "end_turn", usage: { inputTokens: 3, cachedTokens: 0, outputTokens: 1 } },
];

/** What serving does: look the key up, then replay what is there or generate and keep. */
async function* through(cache: ResponseCache, key: string, generate: () => AsyncIterable<ChatEvent>): AsyncGenerator<ChatEvent> {
  yield* throughCache(cache, key, await cache.lookup(key), generate);
}

async function drain(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

test("only greedy or seeded requests are deterministic", () => {
  const request = emptyChatRequest("m");
  assert.equal(isDeterministic(request), false);
  assert.equal(isDeterministic({ ...request, sampling: { stop: [], temperature: 0 } }), true);
  assert.equal(isDeterministic({ ...request, sampling: { stop: [], temperature: 0.7, seed: 1 } }), true);
});

test("the key ignores the requested name and metadata but not the served model or the content", () => {
  const a = { ...emptyChatRequest("gpt-4o"), metadata: { user: "x" } };
  const b = emptyChatRequest("claude-sonnet-4-5");
  assert.equal(cacheKey(a, "qwen"), cacheKey(b, "qwen"));
  assert.notEqual(cacheKey(a, "qwen"), cacheKey(a, "other"));
  assert.notEqual(cacheKey(a, "qwen"), cacheKey({ ...b, system: [{ type: "text", text: "s" }] }, "qwen"));
  const reordered = { ...b, sampling: { temperature: 0, stop: [] as string[] } };
  assert.equal(cacheKey({ ...b, sampling: { stop: [], temperature: 0 } }, "qwen"), cacheKey(reordered, "qwen"), "key order does not matter");
});

test("the key differs per partition, so one tenant's reply is never another's", () => {
  const request = { ...emptyChatRequest("m"), sampling: { stop: [], temperature: 0 } };
  assert.notEqual(cacheKey({ ...request, partition: "key:a" }, "qwen"), cacheKey({ ...request, partition: "key:b" }, "qwen"));
  assert.notEqual(cacheKey({ ...request, partition: "key:a" }, "qwen"), cacheKey(request, "qwen"));
  assert.equal(cacheKey({ ...request, partition: "key:a" }, "qwen"), cacheKey({ ...request, partition: "key:a" }, "qwen"));
});

test("replays a complete reply; never keeps one that failed or was cut short", async () => {
  const cache = new ResponseCache({ maxEntries: 10, maxBytes: 1_000_000 });
  let runs = 0;
  const generate = async function* (): AsyncGenerator<ChatEvent> { runs++; yield* reply; };
  assert.deepEqual(await drain(through(cache, "k", generate)), reply);
  assert.deepEqual(await drain(through(cache, "k", generate)), reply);
  assert.equal(runs, 1);
  for await (const event of through(cache, "stops-at-end", generate)) if (event.type === "end") break;
  assert.ok(cache.get("stops-at-end") !== undefined, "a consumer that stops at the end event still fills the cache");

  const failing = async function* (): AsyncGenerator<ChatEvent> { yield reply[0]!; yield { type: "error", error: new GatewayError("internal", "x") }; };
  await drain(through(cache, "bad", failing));
  assert.equal(cache.get("bad"), undefined);
  for await (const _ of through(cache, "cut", generate)) break;
  assert.equal(cache.get("cut"), undefined);
});

test("stays within its entry and byte bounds, dropping the least recently used", async () => {
  const cache = new ResponseCache({ maxEntries: 2, maxBytes: 1_000_000 });
  const generate = async function* (): AsyncGenerator<ChatEvent> { yield* reply; };
  for (const key of ["a", "b", "c"]) await drain(through(cache, key, generate));
  assert.equal(cache.get("a"), undefined);
  assert.ok(cache.get("c") !== undefined);
  const tiny = new ResponseCache({ maxEntries: 10, maxBytes: 100 });
  await drain(through(tiny, "big", generate));
  assert.equal(tiny.get("big"), undefined, "an entry larger than the byte bound is not kept");
});
