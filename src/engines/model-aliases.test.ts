import assert from "node:assert/strict";
import { test } from "node:test";
import { parseModelAliases, resolveAlias } from "./model-aliases.js";

test("parses name=model pairs, spaces allowed", () => {
  assert.deepEqual(parseModelAliases(" claude-*=qwen3 , gpt-4o=qwen3,"), [{ name: "claude-*", target: "qwen3" }, { name: "gpt-4o", target: "qwen3" }]);
  assert.deepEqual(parseModelAliases(""), []);
});

test("exact names win over globs; globs match in order; * and ? are the only wildcards", () => {
  const aliases = parseModelAliases("claude-*=a,claude-sonnet-4-5=b,gpt-4o*=c,o?-mini=d,x.y=e");
  assert.equal(resolveAlias(aliases, "claude-sonnet-4-5"), "b");
  assert.equal(resolveAlias(aliases, "claude-opus-4-1"), "a");
  assert.equal(resolveAlias(aliases, "gpt-4o-mini"), "c");
  assert.equal(resolveAlias(aliases, "o3-mini"), "d");
  assert.equal(resolveAlias(aliases, "o33-mini"), undefined);
  assert.equal(resolveAlias(aliases, "xzy"), undefined, "a dot is a dot");
  assert.equal(resolveAlias(aliases, "gpt-5"), undefined);
});
