import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { WhileDecoding } from "./while-decoding.js";

test("deferred work waits for the next decode to start, then runs in order, once", () => {
  const whileDecoding = new WhileDecoding();
  const ran: number[] = [];
  whileDecoding.defer(() => ran.push(1));
  whileDecoding.defer(() => ran.push(2));
  assert.deepEqual(ran, []);
  whileDecoding.decodeStarted();
  assert.deepEqual(ran, [1, 2]);
  whileDecoding.decodeStarted();
  assert.deepEqual(ran, [1, 2]);
});

test("deferred work runs on its own when no decode starts", async () => {
  const whileDecoding = new WhileDecoding();
  let ran = 0;
  whileDecoding.defer(() => ran++);
  await sleep(20);
  assert.equal(ran, 1);
  whileDecoding.decodeStarted();
  assert.equal(ran, 1);
});

test("work deferred while earlier work runs waits for the decode after", () => {
  const whileDecoding = new WhileDecoding();
  const ran: string[] = [];
  whileDecoding.defer(() => {
    ran.push("first");
    whileDecoding.defer(() => ran.push("second"));
  });
  whileDecoding.decodeStarted();
  assert.deepEqual(ran, ["first"]);
  whileDecoding.flush();
  assert.deepEqual(ran, ["first", "second"]);
});
