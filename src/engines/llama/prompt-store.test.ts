import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Token } from "node-llama-cpp";
import pino from "pino";
import { PromptStore, stateId } from "./prompt-store.js";

const log = pino({ level: "silent" });
const KEY = "0123456789abcdef0123456789abcdef";
const tokens = (n: number, from = 0): Token[] => Array.from({ length: n }, (_, i) => (from + i) as Token);

/** A state committed the way the cache commits one: written at a pending path, then made the store's. */
async function commit(store: PromptStore, partition: string, held: readonly Token[], content: string) {
  const pending = store.pendingPath();
  await writeFile(pending, content);
  return store.commit(pending, partition, held);
}

/** Runs `body` with a fresh parent directory, removed after. */
async function inTempDir(body: (parent: string) => Promise<void>): Promise<void> {
  const parent = await mkdtemp(join(tmpdir(), "lals-store-"));
  try {
    await body(parent);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

test("a committed state is found again by the next process, 0600 in a 0700 directory, and checked against its record", () => inTempDir(async (parent) => {
  const first = await PromptStore.open(parent, KEY, log);
  assert.equal(first.persistent, true);
  const a = await commit(first, "key:a", tokens(300), "state of a");
  await commit(first, "key:b", tokens(300, 7), "state of b");
  await first.close();
  assert.equal((await stat(join(parent, KEY))).mode & 0o777, 0o700);
  for (const name of await readdir(join(parent, KEY))) assert.equal((await stat(join(parent, KEY, name))).mode & 0o777, 0o600, name);

  const second = await PromptStore.open(parent, KEY, log);
  const found = await second.scan();
  assert.deepEqual(found.map((s) => [s.partition, s.tokens.length, s.checked]).sort(), [["key:a", 300, false], ["key:b", 300, false]]);
  const again = found.find((s) => s.partition === "key:a")!;
  assert.equal(again.path, a.path);
  assert.equal(await second.check(again), true);
  await second.close();
}));

test("a truncated state, a record for another prefix, a state without a record and a half-written file are deleted at open", () => inTempDir(async (parent) => {
  const first = await PromptStore.open(parent, KEY, log);
  const truncated = await commit(first, "key:a", tokens(300), "a state that will lose its end");
  const renamed = await commit(first, "key:a", tokens(300, 1000), "a state whose record will claim another prefix");
  const good = await commit(first, "key:a", tokens(300, 2000), "a good state");
  await first.close();
  const dir = join(parent, KEY);
  await truncate(truncated.path, 5);
  // The record claims another prefix than its id was made from.
  const record = JSON.parse(await readFile(join(dir, `${renamed.id}.json`), "utf8")) as { tokens: number[] };
  record.tokens = tokens(300, 5000);
  await writeFile(join(dir, `${renamed.id}.json`), JSON.stringify(record));
  await writeFile(join(dir, `${stateId("key:a", tokens(9))}.state`), "no record");
  await writeFile(join(dir, "7.123.tmp"), "half written");
  await writeFile(join(dir, "junk.json"), "{not json");

  const second = await PromptStore.open(parent, KEY, log);
  const found = await second.scan();
  assert.deepEqual(found.map((s) => s.id), [good.id]);
  assert.deepEqual((await readdir(dir)).sort(), [`${good.id}.json`, `${good.id}.state`, "owner"].sort());
  await second.close();
}));

test("a state changed in place (same size) fails its check and is deleted, never handed out as good", () => inTempDir(async (parent) => {
  const first = await PromptStore.open(parent, KEY, log);
  const state = await commit(first, "key:a", tokens(300), "AAAAAAAAAAAAAAAA");
  await first.close();
  await writeFile(state.path, "AAAAAAAABAAAAAAA");
  const second = await PromptStore.open(parent, KEY, log);
  const [found] = await second.scan();
  assert.equal(await second.check(found!), false);
  assert.deepEqual(await readdir(join(parent, KEY)), ["owner"]);
  await second.close();
}));

test("one process owns a directory at a time; the others keep their own; a dead owner's lock is taken over", () => inTempDir(async (parent) => {
  // A live owner: another process on this host, still running (this test's parent).
  await (await PromptStore.open(parent, KEY, log)).close();
  await writeFile(join(parent, KEY, "owner"), JSON.stringify({ host: hostname(), pid: process.ppid, start: 1 }));
  const second = await PromptStore.open(parent, KEY, log);
  assert.equal(second.persistent, false);
  assert.notEqual(second.directory, join(parent, KEY));
  assert.deepEqual(await second.scan(), []);
  await second.close();
  assert.deepEqual((await readdir(parent)).sort(), [KEY], "a directory of its own is removed when it closes");

  await writeFile(join(parent, KEY, "owner"), JSON.stringify({ host: hostname(), pid: await deadPid(), start: 1 }));
  const third = await PromptStore.open(parent, KEY, log);
  assert.equal(third.persistent, true, "the lock of a process that exited is taken over");
  await third.close();
  assert.deepEqual(await readdir(join(parent, KEY)), [], "the lock is given up on close");
}));
