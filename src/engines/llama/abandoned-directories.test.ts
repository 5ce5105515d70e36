import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import pino from "pino";
import { OWN_PREFIX, removeAbandonedDirectories } from "./abandoned-directories.js";
import { PromptCache } from "./prompt-cache.js";

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

async function leftover(parent: string, name: string): Promise<string> {
  const dir = join(parent, name);
  await mkdir(dir);
  await writeFile(join(dir, "1.state"), "stale");
  return dir;
}

test("what dead processes on this host left is removed; running ones', other hosts' and this process's are kept", async () => {
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
  // This process's own directory (a prompt cache it could not share).
  const own = await mkdtemp(join(parent, OWN_PREFIX));
  await removeAbandonedDirectories(parent);
  for (const dir of removed) assert.equal(existsSync(dir), false, `${dir} is removed`);
  for (const dir of [...kept, own]) assert.equal(existsSync(dir), true, `${dir} is kept`);
});

test("a prompt cache whose directory does not exist yet makes it, persistent and empty", async () => {
  const parent = join(await mkdtemp(join(tmpdir(), "lals-prompt-cache-unit-")), "not", "yet");
  const cache = new PromptCache({ maxBytes: 1 << 20, parentDir: parent, log: pino({ level: "silent" }) });
  await cache.open("0123456789abcdef0123456789abcdef");
  assert.equal(cache.stats().entries, 0);
  assert.deepEqual(await readdir(parent), ["0123456789abcdef0123456789abcdef"]);
  await cache.dispose();
  assert.deepEqual(await readdir(join(parent, "0123456789abcdef0123456789abcdef")), []);
});
