import assert from "node:assert/strict";
import { test } from "node:test";
import type { Token } from "node-llama-cpp";
import { SavedPrefixes, type SavedPrefix } from "./saved-prefixes.js";

const tokens = (...ids: number[]): Token[] => ids as Token[];
const entry = (partition: string, ids: number[], bytes = 10): SavedPrefix => ({ partition, tokens: tokens(...ids), path: `/${partition}/${ids.join("-")}`, bytes });

test("finds the saved prompt sharing the longest prefix, within the same partition only", () => {
  const saved = new SavedPrefixes({ maxBytes: 1000 });
  saved.add(entry("a", [1, 2, 3, 4]));
  saved.add(entry("a", [1, 2, 9]));
  saved.add(entry("b", [1, 2, 3, 4, 5, 6]));
  assert.deepEqual(saved.longestMatch("a", tokens(1, 2, 3, 4, 5, 6, 7))?.length, 4);
  assert.equal(saved.longestMatch("a", tokens(1, 2, 3, 4, 5, 6, 7))?.entry.path, "/a/1-2-3-4");
  assert.equal(saved.longestMatch("b", tokens(1, 2, 3, 4, 5, 6, 7))?.length, 6);
  assert.equal(saved.longestMatch("c", tokens(1, 2, 3)), undefined);
  assert.equal(saved.longestMatch("a", tokens(7, 8)), undefined);
});

test("knows when a prompt is already saved, whole or as the start of a longer one", () => {
  const saved = new SavedPrefixes({ maxBytes: 1000 });
  saved.add(entry("a", [1, 2, 3, 4]));
  assert.equal(saved.covers("a", tokens(1, 2, 3, 4)), true);
  assert.equal(saved.covers("a", tokens(1, 2)), true);
  assert.equal(saved.covers("a", tokens(1, 2, 3, 4, 5)), false);
  assert.equal(saved.covers("b", tokens(1, 2)), false);
});

test("a longer save of the same conversation replaces its earlier prefixes", () => {
  const saved = new SavedPrefixes({ maxBytes: 1000 });
  saved.add(entry("a", [1, 2]));
  assert.deepEqual(saved.add(entry("a", [1, 2, 3])).map((e) => e.path), ["/a/1-2"]);
  saved.add(entry("b", [1, 2]));
  saved.add(entry("a", [1, 5]));
  assert.deepEqual(saved.add(entry("a", [1, 2, 3, 4])).map((e) => e.path), ["/a/1-2-3"]);
  assert.equal(saved.size, 3);
});

test("stays within its byte budget by dropping the least recently used", () => {
  const saved = new SavedPrefixes({ maxBytes: 30 });
  const first = entry("a", [1]);
  saved.add(first);
  saved.add(entry("a", [2]));
  saved.add(entry("a", [3]));
  saved.pin(first)(); // used: now the most recent
  const dropped = saved.add(entry("a", [4]));
  assert.deepEqual(dropped.map((e) => e.path), ["/a/2"]);
  assert.equal(saved.bytes, 30);
  assert.equal(saved.fits(31), false);
  saved.clear();
  assert.equal(saved.bytes, 0);
  assert.equal(saved.size, 0);
});

test("an entry being read is neither replaced nor dropped until it is unpinned", () => {
  const saved = new SavedPrefixes({ maxBytes: 20 });
  const reading = entry("a", [1, 2]);
  saved.add(reading);
  const unpin = saved.pin(reading);
  assert.deepEqual(saved.add(entry("a", [1, 2, 3])).map((e) => e.path), [], "not replaced by a longer save");
  assert.deepEqual(saved.add(entry("b", [9])).map((e) => e.path), ["/a/1-2-3"], "the budget is met without it");
  assert.equal(saved.bytes, 20);
  unpin();
  assert.deepEqual(saved.add(entry("c", [5])).map((e) => e.path), ["/a/1-2"]);
  assert.equal(saved.bytes, 20);
});

test("an earlier turn whose reply the next prompt renders differently is replaced within the slack", () => {
  const saved = new SavedPrefixes({ maxBytes: 1000, slack: 2 });
  saved.add(entry("a", [1, 2, 3, 4, 50, 51])); // turn 1 and its reply, as generated
  saved.add(entry("a", [1, 2, 3, 9, 9, 9])); // another conversation: shares too little
  // Turn 2: turn 1's reply came back as text and tokenized otherwise, then more.
  const replaced = saved.add(entry("a", [1, 2, 3, 4, 5, 52, 6, 7]));
  assert.deepEqual(replaced.map((e) => e.path), ["/a/1-2-3-4-50-51"]);
  assert.equal(saved.size, 2);
});
