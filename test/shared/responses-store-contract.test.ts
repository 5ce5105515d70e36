// The Responses store's contract, run against both implementations: this process's and Redis's (a real
// redis-server). Owners apart, each owner's quota evicting its own least recently used, the store's bounds over all
// owners, an entry too large kept by no one, expiry, and item references that stay findable while any stored
// response carries the item.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import { RedisResponsesStore } from "../../src/protocols/openai/responses/redis-store.js";
import type { WireResponse } from "../../src/protocols/openai/responses/render-response.js";
import type { InputItem } from "../../src/protocols/openai/responses/schema.js";
import { localResponsesStore, ResponseStore, type ResponsesStore, type StoreLimits } from "../../src/protocols/openai/responses/store.js";
import { SharedRedis } from "../../src/shared/shared-redis.js";
import { startRedis, type RedisServer } from "./redis-server.js";

let redis: RedisServer;
let shared: SharedRedis;
before(async () => {
  redis = await startRedis();
  shared = new SharedRedis(redis.url, pino({ level: "silent" }));
  await shared.connect();
});
after(async () => {
  await shared.close();
  await redis.stop();
});

const message = (id: string, text: string): InputItem => ({ type: "message", role: "user", content: text, id }) as InputItem;
const entry = (id: string, { pad = "", conversation = [] as InputItem[] } = {}) => ({
  response: { id, object: "response", output: [], instructions: pad } as unknown as WireResponse,
  input: [],
  conversation,
});

const IMPLEMENTATIONS: Array<[string, (limits: StoreLimits) => Promise<ResponsesStore>]> = [
  ["in process", async (limits) => localResponsesStore(new ResponseStore(limits))],
  ["Redis", async (limits) => {
    await shared.client.flushall();
    return new RedisResponsesStore(shared, limits);
  }],
];

for (const [name, make] of IMPLEMENTATIONS) {
  describe(`the Responses store, ${name}`, () => {
    test("one owner never reads, or deletes, another's responses", async () => {
      const store = await make({ maxEntries: 10, maxBytes: 1_000_000, maxAgeMs: 60_000 });
      await store.put("key:a", entry("resp_1"));
      assert.equal((await store.get("key:a", "resp_1"))?.response.id, "resp_1");
      assert.equal(await store.get("key:b", "resp_1"), undefined);
      assert.equal(await store.delete("key:b", "resp_1"), false);
      assert.equal(await store.delete("key:a", "resp_1"), true);
      assert.equal(await store.get("key:a", "resp_1"), undefined);
    });

    test("past its quota an owner loses its own least recently used, never another's; a read is a use", async () => {
      const store = await make({ maxEntries: 100, maxBytes: 1_000_000, maxEntriesPerOwner: 2, maxAgeMs: 60_000 });
      await store.put("other", entry("mine"));
      await store.put("o", entry("r1"));
      await store.put("o", entry("r2"));
      await store.get("o", "r1");
      await store.put("o", entry("r3"));
      assert.equal(await store.get("o", "r2"), undefined, "the least recently used goes");
      assert.ok(await store.get("o", "r1"));
      assert.ok(await store.get("o", "r3"));
      assert.ok(await store.get("other", "mine"), "another owner's stays");
    });

    test("the store's own bounds hold over all owners, by entries and by bytes; an entry too large is kept by no one", async () => {
      const byCount = await make({ maxEntries: 2, maxBytes: 1_000_000, maxAgeMs: 60_000 });
      for (const [owner, id] of [["a", "r1"], ["b", "r2"], ["c", "r3"]]) await byCount.put(owner!, entry(id!));
      assert.equal(await byCount.get("a", "r1"), undefined);
      assert.ok(await byCount.get("c", "r3"));
      const bySize = await make({ maxEntries: 100, maxBytes: 3000, maxBytesPerOwner: 3000, maxAgeMs: 60_000 });
      for (const id of ["r1", "r2", "r3"]) await bySize.put("o", entry(id, { pad: "x".repeat(1000) }));
      assert.equal(await bySize.get("o", "r1"), undefined);
      assert.ok(await bySize.get("o", "r3"));
      await bySize.put("o", entry("huge", { pad: "x".repeat(5000) }));
      assert.equal(await bySize.get("o", "huge"), undefined);
      assert.ok(await bySize.get("o", "r3"), "and costs no one else theirs");
    });

    test("responses expire after their age limit", async () => {
      const store = await make({ maxEntries: 10, maxBytes: 1_000_000, maxAgeMs: 50 });
      await store.put("o", entry("r1", { conversation: [message("msg_1", "hello")] }));
      await new Promise((resolve) => setTimeout(resolve, 120));
      assert.equal(await store.get("o", "r1"), undefined);
      assert.equal((await store.items("o", ["msg_1"])).size, 0, "its items go with it");
    });

    test("an item stays referenceable while any stored response carries it, by its owner only", async () => {
      const store = await make({ maxEntries: 10, maxBytes: 1_000_000, maxAgeMs: 60_000 });
      const first = message("msg_1", "hello");
      await store.put("o", entry("r1", { conversation: [first] }));
      await store.put("o", entry("r2", { conversation: [first, message("msg_2", "again")] }));
      assert.deepEqual([...(await store.items("o", ["msg_1", "msg_2", "msg_none"])).keys()], ["msg_1", "msg_2"]);
      assert.deepEqual((await store.items("o", ["msg_1"])).get("msg_1"), first);
      assert.equal((await store.items("p", ["msg_1"])).size, 0);
      await store.delete("o", "r1");
      assert.equal((await store.items("o", ["msg_1"])).size, 1, "r2 still carries it");
      await store.delete("o", "r2");
      assert.equal((await store.items("o", ["msg_1", "msg_2"])).size, 0);
    });
  });
}
