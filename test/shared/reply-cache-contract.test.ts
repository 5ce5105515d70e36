// The reply cache's contract, against this process's cache and Redis's (a real redis-server): a kept reply is found
// again, the oldest go first past the entry and byte bounds, a reply larger than the bound is not kept; and with
// Redis gone a lookup is a miss, never an error.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import type { ChatEvent } from "../../src/core/chat-event.js";
import { ResponseCache, type CacheLimits, type ReplyCache } from "../../src/core/response-cache.js";
import { RedisReplyCache } from "../../src/shared/redis-reply-cache.js";
import { SharedRedis } from "../../src/shared/shared-redis.js";
import { startRedis, type RedisServer } from "./redis-server.js";

let redis: RedisServer;
let shared: SharedRedis;
const silent = pino({ level: "silent" });
before(async () => {
  redis = await startRedis();
  shared = new SharedRedis(redis.url, silent);
  await shared.connect();
});
after(async () => {
  await shared.close();
  await redis.stop();
});

const reply = (text: string): ChatEvent[] => [
  { type: "start", inputTokens: 1, cachedTokens: 0 },
  { type: "block_start", index: 0, kind: "text" },
  { type: "text_delta", index: 0, text },
  { type: "block_end", index: 0 },
  { type: "end", stopReason: "end_turn", usage: { inputTokens: 1, cachedTokens: 0, outputTokens: 1 } },
];

const IMPLEMENTATIONS: Array<[string, (limits: CacheLimits) => Promise<ReplyCache>]> = [
  ["in process", async (limits) => new ResponseCache(limits)],
  ["Redis", async (limits) => {
    await shared.client.flushall();
    return new RedisReplyCache(shared, limits, silent);
  }],
];

for (const [name, make] of IMPLEMENTATIONS) {
  describe(`the reply cache, ${name}`, () => {
    test("a kept reply is found again; past the entry bound the oldest goes", async () => {
      const cache = await make({ maxEntries: 2, maxBytes: 1_000_000 });
      for (const key of ["a", "b", "c"]) await cache.keep(key, reply(key));
      assert.equal(await cache.lookup("a"), undefined);
      assert.deepEqual(await cache.lookup("c"), reply("c"));
      assert.deepEqual(await cache.lookup("b"), reply("b"));
    });

    test("past the byte bound the oldest goes; a reply larger than the bound is not kept", async () => {
      const size = JSON.stringify(reply("x".repeat(200))).length;
      const cache = await make({ maxEntries: 100, maxBytes: size * 2 + 10 });
      for (const key of ["a", "b", "c"]) await cache.keep(key, reply("x".repeat(200)));
      assert.equal(await cache.lookup("a"), undefined);
      assert.ok(await cache.lookup("c"));
      await cache.keep("big", reply("x".repeat(size * 3)));
      assert.equal(await cache.lookup("big"), undefined);
    });
  });
}

test("with Redis gone, the shared cache misses and keeps nothing, without throwing", async () => {
  const down = new SharedRedis("redis://127.0.0.1:9", silent);
  await down.connect();
  const cache = new RedisReplyCache(down, { maxEntries: 10, maxBytes: 1_000_000 }, silent);
  await cache.keep("k", reply("x"));
  assert.equal(await cache.lookup("k"), undefined);
  await down.close();
});
