import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { isValidKey, loadApiKeys, presentedKey } from "./api-keys.js";

test("reads keys from the list and the file, without blanks, comments or duplicates", () => {
  const file = join(mkdtempSync(join(tmpdir(), "lals-keys-")), "keys");
  writeFileSync(file, "# team keys\nk2\n\n k3 # ci\nk1\n");
  assert.deepEqual(loadApiKeys(" k1, ,k2", file), ["k1", "k2", "k3"]);
  assert.deepEqual(loadApiKeys("", ""), []);
  assert.throws(() => loadApiKeys("", join(file, "missing")));
});

test("takes the key from a Bearer authorization or from x-api-key", () => {
  assert.equal(presentedKey({ headers: { authorization: "Bearer sk-1" } }), "sk-1");
  assert.equal(presentedKey({ headers: { "x-api-key": "sk-2" } }), "sk-2");
  assert.equal(presentedKey({ headers: { authorization: "Basic abc" } }), undefined);
  assert.equal(presentedKey({ headers: {} }), undefined);
});

test("accepts exactly the configured keys", () => {
  const keys = ["a", "bb"].map((k) => createHash("sha256").update(k).digest());
  assert.equal(isValidKey(keys, "bb"), true);
  assert.equal(isValidKey(keys, "b"), false);
  assert.equal(isValidKey(keys, ""), false);
});
