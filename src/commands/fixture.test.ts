import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", MAIN, "fixture", ...args], { encoding: "utf8" });

test("lals fixture --help prints the usage (shapes, --finishing, the output path) and exits 0; an unknown option is usage and exit 2, no stack trace", () => {
  const help = run("--help");
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^usage: lals fixture \[--shape tiny\|qwen3-0\.6b\]/);
  assert.match(help.stdout, /--finishing/);
  assert.match(help.stdout, /<out\.gguf>/);
  for (const args of [["--bogus"], [], ["--shape", "huge", "x.gguf"], ["--seed", "abc", "x.gguf"]]) {
    const refused = run(...args);
    assert.equal(refused.status, 2, args.join(" "));
    assert.match(refused.stderr, /usage: lals fixture/, args.join(" "));
    assert.doesNotMatch(refused.stderr, /\n\s+at /, "no stack trace");
  }
  assert.match(run("--bogus").stderr, /Unknown option '--bogus'/);
});

test("lals fixture writes a GGUF", () => {
  const out = join(mkdtempSync(join(tmpdir(), "lals-fixture-")), "tiny.gguf");
  const written = run(out);
  assert.equal(written.status, 0, written.stderr);
  assert.match(written.stdout, /^wrote .*tiny\.gguf \(tiny\) in \d+ ms\n$/);
  assert.ok(statSync(out).size > 100_000);
});
