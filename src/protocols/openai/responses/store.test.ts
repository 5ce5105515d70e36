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
  const byCount = new ResponseStore({ maxEntries: 2, maxBytes: 1_000_000, maxEntriesPerOwner: 2, maxAgeMs: 60_000 });
  for (const id of ["r1", "r2", "r3"]) byCount.put("o", entry(id));
  assert.equal(byCount.get("o", "r1"), undefined);
  assert.ok(byCount.get("o", "r3"));
  const bySize = new ResponseStore({ maxEntries: 100, maxBytes: 3000, maxBytesPerOwner: 3000, maxAgeMs: 60_000 });
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

const sizeOf = (stored: unknown) => Buffer.byteLength(JSON.stringify(stored));
const message = (id: string, text = "hi"): InputItem => ({ type: "message", id, role: "user", content: text });
const withItems = (id: string, conversation: InputItem[]) => ({ ...entry(id), input: conversation, conversation });

test("a key past its own quota of entries loses its own oldest responses, never another key's", () => {
  const store = new ResponseStore({ maxEntries: 10, maxBytes: 1_000_000, maxEntriesPerOwner: 3, maxAgeMs: 60_000 });
  store.put("key:b", entry("b1"));
  for (let i = 1; i <= 8; i++) store.put("key:a", entry(`a${i}`));
  assert.ok(store.get("key:b", "b1"), "B's response survives A's flood");
  assert.deepEqual(["a5", "a6", "a7", "a8"].map((id) => store.get("key:a", id) !== undefined), [false, true, true, true]);
  assert.equal(store.usage("key:a").entries, 3);
  assert.equal(store.usage().entries, 4);
});

test("a key past its own quota of bytes loses its own oldest responses; the byte count is what is held", () => {
  const big = (id: string) => entry(id, "x".repeat(1000));
  const one = sizeOf(big("a1"));
  const store = new ResponseStore({ maxEntries: 100, maxBytes: 100_000, maxBytesPerOwner: 3 * one + 10, maxAgeMs: 60_000 });
  store.put("key:b", big("b1"));
  for (let i = 1; i <= 6; i++) store.put("key:a", big(`a${i}`));
  assert.ok(store.get("key:b", "b1"));
  const kept = ["a1", "a2", "a3", "a4", "a5", "a6"].filter((id) => store.get("key:a", id) !== undefined);
  assert.deepEqual(kept, ["a4", "a5", "a6"]);
  assert.equal(store.usage("key:a").bytes, kept.reduce((sum, id) => sum + sizeOf(big(id)), 0));
  assert.equal(store.usage().bytes, store.usage("key:a").bytes + sizeOf(big("b1")));
  store.delete("key:a", "a5");
  assert.equal(store.usage("key:a").bytes, sizeOf(big("a4")) + sizeOf(big("a6")));
  assert.equal(store.usage("key:a").entries, 2);
});

test("the store's own bounds still hold over all keys together", () => {
  const store = new ResponseStore({ maxEntries: 4, maxBytes: 1_000_000, maxEntriesPerOwner: 3, maxAgeMs: 60_000 });
  for (const owner of ["a", "b", "c"]) for (const n of [1, 2]) store.put(owner, entry(`${owner}${n}`));
  assert.equal(store.usage().entries, 4);
  assert.equal(store.get("a", "a1"), undefined, "the least recently used of all goes first");
  assert.ok(store.get("c", "c2"));
});

test("a response larger than a key's quota is not kept, and costs no one else theirs", () => {
  const store = new ResponseStore({ maxEntries: 10, maxBytes: 1_000_000, maxBytesPerOwner: 2000, maxAgeMs: 60_000 });
  store.put("a", entry("small"));
  store.put("a", entry("huge", "x".repeat(5000)));
  assert.equal(store.get("a", "huge"), undefined);
  assert.ok(store.get("a", "small"));
});

test("the quotas default to a quarter of the store's bounds", () => {
  const store = new ResponseStore({ maxEntries: 8, maxBytes: 1_000_000, maxAgeMs: 60_000 });
  for (let i = 0; i < 5; i++) store.put("a", entry(`a${i}`));
  assert.equal(store.usage("a").entries, 2);
});

test("items are found by id in the owner's stored conversations, and go with the last response holding them", () => {
  const store = new ResponseStore({ maxEntries: 10, maxBytes: 1_000_000, maxEntriesPerOwner: 2, maxAgeMs: 60_000 });
  const shared = message("msg_shared", "first turn");
  store.put("a", withItems("r1", [shared]));
  store.put("a", withItems("r2", [shared, message("msg_2")]));
  store.put("b", withItems("rb", [message("msg_b")]));
  assert.deepEqual(store.item("a", "msg_shared"), shared);
  assert.equal(store.item("b", "msg_shared"), undefined, "another owner's items are not found");
  assert.equal(store.item("a", "msg_b"), undefined);
  store.delete("a", "r1");
  assert.deepEqual(store.item("a", "msg_shared"), shared, "r2 still holds it");
  store.put("a", withItems("r3", [message("msg_3")]));
  store.put("a", withItems("r4", [message("msg_4")])); // evicts r2, A's oldest
  assert.equal(store.get("a", "r2"), undefined);
  assert.equal(store.item("a", "msg_shared"), undefined);
  assert.equal(store.item("a", "msg_2"), undefined);
  assert.ok(store.item("a", "msg_3"));
  assert.ok(store.item("b", "msg_b"));
  assert.equal(store.usage().items, 3, "msg_3, msg_4 and msg_b are all the index holds");
  for (const [owner, id] of [["a", "r3"], ["a", "r4"], ["b", "rb"]] as const) store.delete(owner, id);
  assert.deepEqual(store.usage(), { entries: 0, bytes: 0, items: 0 });
});

test("an item of an expired response is not found", async () => {
  const store = new ResponseStore({ maxEntries: 10, maxBytes: 1_000_000, maxAgeMs: 20 });
  store.put("a", withItems("r1", [message("msg_old")]));
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(store.item("a", "msg_old"), undefined);
  assert.deepEqual(store.usage(), { entries: 0, bytes: 0, items: 0 });
});

test("looking an item up reads no stored conversation: it is one index lookup", () => {
  const store = new ResponseStore();
  let reads = 0;
  const items = Array.from({ length: 2000 }, (_, i) => message(`msg_${i}`));
  const counted = new Proxy(items, { get: (target, property, receiver) => (reads++, Reflect.get(target, property, receiver)) });
  store.put("a", { ...entry("r1"), input: [], conversation: counted });
  reads = 0;
  for (let i = 0; i < 100; i++) assert.equal(store.item("a", `msg_${1999 - i}`)?.type, "message");
  assert.equal(store.item("a", "msg_none"), undefined);
  assert.equal(reads, 0);
});
