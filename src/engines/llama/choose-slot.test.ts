import assert from "node:assert/strict";
import { test } from "node:test";
import type { Token } from "node-llama-cpp";
import { chooseSlot, commonPrefixLength } from "./choose-slot.js";

const tokens = (...ids: number[]): Token[] => ids as Token[];
const slots: Record<string, { number: number; tokens: Token[] }> = {
  empty0: { number: 0, tokens: [] },
  chat1: { number: 1, tokens: tokens(1, 2, 3, 4, 5, 6) },
  other2: { number: 2, tokens: tokens(1, 2, 9, 9) },
  chat3: { number: 3, tokens: tokens(1, 2, 3, 4, 5, 6, 7, 8) },
};
const info = (name: string) => slots[name]!;

test("measures the shared prefix of two token lists", () => {
  assert.equal(commonPrefixLength(tokens(1, 2, 3), tokens(1, 2, 4)), 2);
  assert.equal(commonPrefixLength(tokens(), tokens(1)), 0);
  assert.equal(commonPrefixLength(tokens(1, 2), tokens(1, 2, 3)), 2);
});

test("continues a conversation on the slot that holds most of it", () => {
  const choice = chooseSlot(["empty0", "chat1", "other2", "chat3"], tokens(1, 2, 3, 4, 5, 6, 7, 8, 10, 11), info);
  assert.deepEqual(choice, { slot: "chat3", held: 8 });
});

test("prefers the lower-numbered slot among those holding equally much", () => {
  const choice = chooseSlot(["chat3", "chat1"], tokens(1, 2, 3, 4, 5, 6, 20), info);
  assert.deepEqual(choice, { slot: "chat1", held: 6 });
});

test("a prompt no slot holds much of takes the slot that loses least, not a long conversation", () => {
  // empty0 is busy: other2 loses 2 tokens, chat1 loses 6 and chat3 8, though chat1 is lower-numbered.
  assert.deepEqual(chooseSlot(["chat1", "other2", "chat3"], tokens(40, 41), info), { slot: "other2", held: 0 });
});

test("takes the lowest-numbered free slot among those losing as little, reporting what it holds", () => {
  assert.deepEqual(chooseSlot(["other2", "chat3", "empty0"], tokens(1, 2, 30, 31, 32), info), { slot: "empty0", held: 0 });
  assert.deepEqual(chooseSlot(["other2", "chat3"], tokens(1, 2, 30, 31, 32), info), { slot: "other2", held: 2 });
});

test("a slot holding another partition's conversation is not reused, and not overwritten while an empty one is free", () => {
  const foreign = (name: string) => ({ ...info(name), reusable: false });
  // chat3 holds exactly this prompt's start, but for someone else.
  assert.deepEqual(chooseSlot(["chat3", "empty0"], tokens(1, 2, 3, 4, 5, 6, 7, 8, 9), foreign), { slot: "empty0", held: 0 });
  assert.deepEqual(chooseSlot(["chat3", "other2"], tokens(1, 2, 3, 4, 5, 6, 7, 8, 9), foreign), { slot: "other2", held: 0 });
});
