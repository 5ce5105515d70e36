import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { missingPatchMembers, patchProblem } from "./node-llama-cpp-patch.js";

test("the installed node-llama-cpp carries every member LALS's patch adds", () => {
  assert.deepEqual(missingPatchMembers(), []);
  assert.equal(patchProblem(), undefined);
});

test("a missing member is named on one line with the command that applies the patch, and that script exists", () => {
  const problem = patchProblem(["LlamaContext.lalsOnDecodeStarted"]);
  assert.match(problem ?? "", /^node-llama-cpp lacks LALS's patch \(no LlamaContext\.lalsOnDecodeStarted\).*; run: node (\S+patches\/apply\.mjs)$/);
  assert.doesNotMatch(problem ?? "", /\n/);
  assert.ok(existsSync(/run: node (\S+)$/.exec(problem ?? "")![1]!));
});
