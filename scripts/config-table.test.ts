import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { configTable } from "./config-table.js";

test("README's configuration table is the one the settings produce", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  assert.ok(readme.includes(configTable()), "run `npx tsx scripts/config-table.ts` and paste its table into README");
});
