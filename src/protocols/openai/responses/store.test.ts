import assert from "node:assert/strict";
import { test } from "node:test";
import type { InputItem } from "./schema.js";
import type { WireResponse } from "./render-response.js";
import { pageItems, ResponseStore, withIds } from "./store.js";

const entry = (id: string, pad = "") => ({
  response: { id, object: "response", output: [], instructions: pad } as unknown as WireResponse,
  input: [],
  conversation: [],
});

test("one owner never reads, or deletes, another's responses", () => {
  const store = new ResponseStore({ maxEntries: 10, maxBytes: 1_000_000, maxAgeMs: 60_000 });
  store.put("key:a", entry("resp_1"));
  assert.equal(store.get("key:a", "resp_1")?.response.id, "resp_1");
  assert.equal(store.get("key:b", "resp_1"), undefined);
  assert.equal(store.delete("key:b", "resp_1"), false);
  assert.equal(store.delete("key:a", "resp_1"), true);
  assert.equal(store.get("key:a", "resp_1"), undefined);
});

test("the least recently used go first when entries or bytes run out", () => {
  const byCount = new ResponseStore({ maxEntries: 2, maxBytes: 1_000_000, maxAgeMs: 60_000 });
  for (const id of ["r1", "r2", "r3"]) byCount.put("o", entry(id));
  assert.equal(byCount.get("o", "r1"), undefined);
  assert.ok(byCount.get("o", "r3"));
  const bySize = new ResponseStore({ maxEntries: 100, maxBytes: 3000, maxAgeMs: 60_000 });
  for (const id of ["r1", "r2", "r3"]) bySize.put("o", entry(id, "x".repeat(1000)));
  assert.equal(bySize.get("o", "r1"), undefined);
  assert.ok(bySize.get("o", "r3"));
});

test("responses expire after their age limit", async () => {
  const store = new ResponseStore({ maxEntries: 10, maxBytes: 1_000_000, maxAgeMs: 20 });
  store.put("o", entry("r1"));
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(store.get("o", "r1"), undefined);
});

test("input items are listed newest first by default, paged with after and limit", () => {
  const items = withIds([1, 2, 3, 4, 5].map((n): InputItem => ({ type: "message", role: "user", content: `m${n}`, id: `msg_${n}` })));
  const first = pageItems(items, { order: "desc", limit: 2 });
  assert.deepEqual(first.data.map((i) => ("id" in i ? i.id : "")), ["msg_5", "msg_4"]);
  assert.equal(first.has_more, true);
  const second = pageItems(items, { order: "desc", limit: 2, after: first.last_id! });
  assert.deepEqual([second.first_id, second.last_id], ["msg_3", "msg_2"]);
  const last = pageItems(items, { order: "desc", limit: 2, after: "msg_2" });
  assert.deepEqual(last.data.map((i) => ("id" in i ? i.id : "")), ["msg_1"]);
  assert.equal(last.has_more, false);
  assert.equal(pageItems(items, { order: "asc", limit: 10 }).first_id, "msg_1");
});

test("items without an id get one with their type's prefix", () => {
  const [message, output] = withIds([{ type: "message", role: "user", content: "hi" }, { type: "function_call_output", call_id: "c", output: "x" }]);
  assert.match(message && "id" in message ? String(message.id) : "", /^msg_/);
  assert.match(output && "id" in output ? String(output.id) : "", /^fco_/);
});
