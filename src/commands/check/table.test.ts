import assert from "node:assert/strict";
import { test } from "node:test";
import type { CheckResult, ServerReport } from "./check-result.js";
import { grid, renderTable } from "./table.js";

const check = (overrides: Partial<CheckResult>): CheckResult => ({
  name: "chat.completions", protocol: "openai", stream: false, offered: true, pass: true,
  status: 200, ttftMs: 812.4, totalMs: 812.4, outputTokens: 9, tokensPerSecond: 11.07, ...overrides,
});

const report = (url: string, checks: CheckResult[], model: string | null = "qwen3-0.6b"): ServerReport => ({ url, model, checks });

const columnOf = (line: string, char: string): number[] => [...line].flatMap((c, i) => (c === char ? [i] : []));

test("names each server's URL and model above its columns, and gives one row per probe", () => {
  const text = renderTable([
    report("http://127.0.0.1:8000", [check({ name: "health", protocol: "health" }), check({ stream: true, ttftMs: 100 })]),
    report("http://127.0.0.1:9000", [check({ name: "health", protocol: "health" }), check({ stream: true, ttftMs: 120 })], null),
  ]);
  const lines = text.trimEnd().split("\n");
  assert.match(lines[0]!, /http:\/\/127\.0\.0\.1:8000 \(qwen3-0\.6b\).*│ http:\/\/127\.0\.0\.1:9000 \(no model\)/);
  assert.match(lines[1]!, /^protocol\s+probe\s+│ status\s+TTFT ms\s+tok\/s\s+total ms\s+result\s+│ status/);
  assert.equal(lines.length, 3 + 2);
  assert.match(lines[3]!, /^health\s+health\s+│\s+200\s+812\s+11\.1\s+812\s+ok\s+│\s+200/);
  assert.match(lines[4]!, /^openai\s+chat\.completions \(stream\)\s+│\s+200\s+100\s+11\.1\s+812\s+ok\s+│\s+200\s+120\s/);
});

test("the vertical rules line up on every line, the crossing on the rule line", () => {
  const lines = renderTable([
    report("http://a.example", [check({}), check({ status: 401, ttftMs: null, totalMs: 3, tokensPerSecond: null, outputTokens: null, pass: false, error: "401 x" })]),
    report("https://a-much-longer-host-name.example.com:8443", [check({}), check({ offered: false, pass: false, status: 404, ttftMs: null, totalMs: null, tokensPerSecond: null })]),
  ]).trimEnd().split("\n");
  const rules = columnOf(lines[0]!, "│");
  assert.equal(rules.length, 2);
  for (const line of [lines[1]!, ...lines.slice(3)]) assert.deepEqual(columnOf(line, "│"), rules, line);
  assert.deepEqual(columnOf(lines[2]!, "┼"), rules);
});

test("what was not measured reads '-', a failure FAIL and a probe not offered n/a", () => {
  const lines = renderTable([report("http://a", [
    check({ status: null, ttftMs: null, totalMs: 2, tokensPerSecond: null, pass: false, error: "ECONNREFUSED" }),
    check({ name: "messages", protocol: "anthropic", offered: false, pass: false, status: 404, ttftMs: null, totalMs: 5, tokensPerSecond: null }),
  ])]).trimEnd().split("\n");
  assert.match(lines[3]!, /│\s+-\s+-\s+-\s+2\s+FAIL$/);
  assert.match(lines[4]!, /^anthropic\s+messages\s+│\s+404\s+-\s+-\s+5\s+n\/a$/);
});

test("a server title longer than its columns widens them instead of spilling over", () => {
  const title = "x".repeat(80);
  const lines = grid([{ title: "", columns: [{ title: "a", align: "left" }] }, { title, columns: [{ title: "n", align: "right" }, { title: "r", align: "left" }] }], [["row", "1", "ok"]]);
  assert.equal(lines[0], `${" ".repeat(3)} │ ${title}`);
  assert.equal(lines[2]!.length, 3 + 3 + 80);
  assert.equal(lines[3], `row │ 1  ok`);
});
