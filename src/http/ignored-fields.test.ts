import assert from "node:assert/strict";
import { test } from "node:test";
import { fieldOfWarning, noteIgnoredFields } from "./ignored-fields.js";

test("names the field a warning is about, indexes folded", () => {
  assert.equal(fieldOfWarning("context_management is accepted and not applied."), "context_management");
  assert.equal(fieldOfWarning("tools[12]: the hosted tool 'web_search' is not available"), "tools[]");
  assert.equal(fieldOfWarning("text.verbosity is not applied by this server."), "text.verbosity");
});

test("a request with thousands of warnings logs the first few, each cut short, and their count", async () => {
  const lines: Array<Record<string, unknown>> = [];
  const request = {
    lals: { ignoredFields: [] as string[] },
    log: { warn: (fields: Record<string, unknown>) => lines.push(fields) },
  } as unknown as Parameters<typeof noteIgnoredFields>[0];
  noteIgnoredFields(request, Array.from({ length: 5000 }, (_, i) => `input[${i}]: ${"x".repeat(100_000)} was left out.`));
  assert.equal(lines.length, 1);
  assert.ok(JSON.stringify(lines[0]).length < 3000, `${JSON.stringify(lines[0]).length} characters logged`);
  assert.equal(lines[0]!.warningCount, 5000);
  assert.deepEqual(lines[0]!.ignored, ["input[]"]);
});
