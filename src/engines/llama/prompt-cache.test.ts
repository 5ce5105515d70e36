import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import pino from "pino";
import { PromptCache } from "./prompt-cache.js";

const log = pino({ level: "silent" });

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

/** A sequence whose saved state is a small file, enough for the cache to make its directory and keep an entry. */
const slot = {
  needsCheckpoints: false,
  saveStateToFile: async (path: string) => {
    await writeFile(path, "state");
    return { fileSize: 5 };
  },
} as unknown as LlamaContextSequence;
const tokens = Array.from({ length: 600 }, (_, i) => i as Token);

async function leftover(parent: string, name: string): Promise<string> {
  const dir = join(parent, name);
  await mkdir(dir);
  await writeFile(join(dir, "1.state"), "stale");
  return dir;
}

test("opening a cache removes what dead processes on this host left, before anything is saved", async () => {
  const parent = await mkdtemp(join(tmpdir(), "lals-prompt-cache-unit-"));
  const host = `lals-prompts-${hostname()}`;
  const dead = await deadPid();
  const removed = [
    await leftover(parent, `${host}-${dead}-a1B2c3`), // named before processes named their start time
    await leftover(parent, `${host}-${dead}-tm0abc12-a1B2c3`),
    await leftover(parent, `${host}-${process.pid}-tm0abc12-a1B2c3`), // this pid, an earlier process (a restarted container)
    await leftover(parent, `${host}-${process.pid}-a1B2c3`),
  ];
  const kept = [
    await leftover(parent, `lals-prompts-another-host-${dead}-a1B2c3`), // a machine sharing the directory
    await leftover(parent, `${host}-${process.ppid}-tm0abc12-a1B2c3`), // a running process
    await leftover(parent, `${host}-12-${dead}-a1B2c3`), // host "<this host>-12", pid `dead`
    await leftover(parent, "not-ours"),
  ];
  // Another model's cache in this process, with a saved state.
  const sibling = new PromptCache({ maxBytes: 1 << 20, parentDir: parent, log });
  await sibling.saveBeforeLosing(slot, tokens, "", 0);
  assert.equal(sibling.stats().entries, 1);
  const siblingDirs = (await readdir(parent)).filter((name) => name.startsWith(`${host}-${process.pid}-t`) && !name.includes("tm0abc12"));
  assert.equal(siblingDirs.length, 1);

  const cache = new PromptCache({ maxBytes: 1 << 20, parentDir: parent, log });
  await cache.open();
  assert.equal(cache.stats().saves, 0);
  for (const dir of removed) assert.equal(existsSync(dir), false, `${dir} is removed`);
  for (const dir of [...kept, join(parent, siblingDirs[0]!)]) assert.equal(existsSync(dir), true, `${dir} is kept`);

  await sibling.dispose();
  await cache.dispose();
  assert.deepEqual((await readdir(parent)).sort(), kept.map((dir) => dir.slice(parent.length + 1)).sort());
});

test("opening a cache whose directory does not exist yet is no failure", async () => {
  const parent = join(await mkdtemp(join(tmpdir(), "lals-prompt-cache-unit-")), "not", "yet");
  await new PromptCache({ maxBytes: 1 << 20, parentDir: parent, log }).open();
});
