import assert from "node:assert/strict";
import { test } from "node:test";
import { SlotGroup } from "./slot-group.js";

test("the first member acquires every member's slot at once; each member gets its own", async () => {
  const asked: number[] = [];
  const group = new SlotGroup({ size: 3, acquire: async (count) => { asked.push(count); return ["a", "b", "c"].slice(0, count); }, release: () => undefined });
  assert.deepEqual(await Promise.all([group.take(), group.take(), group.take()]), ["a", "b", "c"]);
  assert.deepEqual(asked, [3]);
});

test("a member failing before acquisition shrinks it; one failing after returns its slot", async () => {
  const released: string[] = [];
  const group = new SlotGroup({ size: 3, acquire: async (count) => ["a", "b", "c"].slice(0, count), release: (slot) => released.push(slot) });
  group.forfeit();
  const first = await group.take();
  group.forfeit();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(first, "a");
  assert.deepEqual(released, ["b"]);
});
