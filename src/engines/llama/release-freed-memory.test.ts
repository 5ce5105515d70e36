import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { releaseFreedMemory } from "./release-freed-memory.js";

const residentMiB = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))![1]) / 1024;

test("gives freed heap pages back to the system", { skip: process.platform !== "linux" }, async (t) => {
  if (!releaseFreedMemory()) return t.skip("this C library has no malloc_trim (not glibc)");
  // 64 MiB in 4 KiB blocks (small enough for malloc's heap, not mmap), every 16th kept so the heap cannot shrink
  // from its top: the other 60 MiB stay resident after free() until malloc_trim returns them.
  const blocks: Array<Buffer | undefined> = Array.from({ length: 16384 }, () => Buffer.allocUnsafeSlow(4096).fill(1));
  for (let i = 0; i < blocks.length; i++) if (i % 16 !== 0) blocks[i] = undefined;
  // Freed only when collected: ask V8 to collect, repeatedly, until the process stops shrinking on its own.
  const { setFlagsFromString } = await import("node:v8");
  const { runInNewContext } = await import("node:vm");
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const before = residentMiB();
  assert.equal(releaseFreedMemory(), true);
  const after = residentMiB();
  assert.ok(before - after > 30, `resident ${before.toFixed(0)} MiB before, ${after.toFixed(0)} MiB after`);
  assert.equal(blocks.filter((b) => b !== undefined).length, 1024);
});
