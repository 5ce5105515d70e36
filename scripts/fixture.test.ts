import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", new URL("./fixture.ts", import.meta.url).pathname, ...args], { encoding: "utf8" });

test("--help prints the usage (shapes, --finishing, the output path) and exits 0; an unknown option is usage and exit 2, no stack trace", () => {
  const help = run("--help");
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^usage: npm run fixture -- \[--shape tiny\|qwen3-0\.6b\]/);
  assert.match(help.stdout, /--finishing/);
  assert.match(help.stdout, /<out\.gguf>/);
  const unknown = run("--bogus");
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /Unknown option '--bogus'/);
  assert.doesNotMatch(unknown.stderr, /\n\s+at /, "no stack trace");
});
