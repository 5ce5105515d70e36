// `lals check` end to end, against two real servers on the finishing fixture, the second keyed: every protocol's
// probes passing side by side, the JSON report, a missing key seen as 401s, a URL nothing listens on, and misuse.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { CheckResult, ServerReport } from "../../src/commands/check/check-result.js";
import { FinishingReply } from "../../src/fixture/finishing-reply.js";
import { freePort } from "../free-port.js";
import { runUntilExit, startServer, type RunningServer } from "./harness.js";

const KEY = "k1";
let open: RunningServer;
let keyed: RunningServer;

before(async () => {
  [open, keyed] = await Promise.all([startServer({ fixture: "finishing" }), startServer({ fixture: "finishing", env: { API_KEYS: KEY } })]);
});
after(async () => {
  assert.deepEqual(await Promise.all([open.stop(), keyed.stop()]), [0, 0]);
});

/** Every probe's row: its protocol and label, as the table prints them. */
const ROWS: readonly [string, string][] = [
  ["health", "health"],
  ["openai", "models"], ["openai", "chat.completions"], ["openai", "chat.completions (stream)"], ["openai", "responses"], ["openai", "responses (stream)"],
  ["anthropic", "messages"], ["anthropic", "messages (stream)"], ["anthropic", "count_tokens"],
  ["gemini", "generateContent"], ["gemini", "generateContent (stream)"], ["gemini", "countTokens"],
  ["ollama", "version"], ["ollama", "chat"], ["ollama", "chat (stream)"],
];
const GENERATING = new Set(["chat.completions", "responses", "messages", "generateContent", "chat"]);

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The table row of a probe, split into its label part and each server's cells. */
function row(output: string, protocol: string, label: string): string[] {
  const line = new RegExp(`^${escaped(protocol)}\\s+${escaped(label)}\\s+│.*$`, "m").exec(output)?.[0];
  assert.ok(line !== undefined, `no row for ${protocol} ${label} in\n${output}`);
  return line.split("│").map((cell) => cell.trim());
}

function jsonReport(output: string): ServerReport[] {
  const line = output.split("\n").find((l) => l.startsWith('{"servers"'));
  assert.ok(line !== undefined, output);
  return (JSON.parse(line) as { servers: ServerReport[] }).servers;
}

/** A URL nothing listens on: a port the system just handed out and took back. */
async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

test("two servers, the second with its key: every protocol's probes pass on both, side by side, exit 0", async () => {
  const { code, output } = await runUntilExit({}, ["check", open.baseUrl, keyed.baseUrl, "--api-key2", KEY]);
  assert.equal(code, 0, output);
  const header = output.split("\n").find((line) => line.includes("│")) ?? "";
  assert.ok(header.includes(`${open.baseUrl} (qwen3-0.6b)`) && header.includes(`${keyed.baseUrl} (qwen3-0.6b)`), header);
  for (const [protocol, label] of ROWS) {
    const [, first, second] = row(output, protocol, label);
    assert.match(first!, /^200\s.*\sok$/, `${protocol} ${label}: ${first}`);
    assert.match(second!, /^200\s.*\sok$/, `${protocol} ${label}: ${second}`);
  }
  assert.doesNotMatch(output, /FAIL|n\/a/);
  for (const url of [open.baseUrl, keyed.baseUrl]) {
    assert.ok(output.includes(`${url}  health 1/1 · openai 5/5 · anthropic 3/3 · gemini 3/3 · ollama 3/3`), output);
  }
  assert.match(output, /ok: every offered probe passed on all 2 servers/);
});

test("--json: per server its URL, model and every check with status, TTFT, total time, tokens and pass", async () => {
  const { code, output } = await runUntilExit({}, ["check", open.baseUrl, keyed.baseUrl, "--api-key2", KEY, "--json"]);
  assert.equal(code, 0, output);
  const servers = jsonReport(output);
  assert.deepEqual(servers.map((s) => [s.url, s.model]), [[open.baseUrl, "qwen3-0.6b"], [keyed.baseUrl, "qwen3-0.6b"]]);
  for (const server of servers) {
    assert.deepEqual(server.checks.map((c) => [c.protocol, c.stream ? `${c.name} (stream)` : c.name]), ROWS);
    for (const check of server.checks) assertMeasured(check);
  }
});

function assertMeasured(check: CheckResult): void {
  const what = `${check.protocol} ${check.name}${check.stream ? " (stream)" : ""}: ${JSON.stringify(check)}`;
  assert.equal(check.offered, true, what);
  assert.equal(check.pass, true, what);
  assert.equal(check.status, 200, what);
  assert.equal(check.error, undefined, what);
  assert.ok(check.ttftMs !== null && check.totalMs !== null && check.ttftMs > 0 && check.ttftMs <= check.totalMs, what);
  if (!GENERATING.has(check.name)) return assert.equal(check.outputTokens, null, what);
  // The fixture's reply, each piece one token, and perhaps the end of turn counted with it.
  const tokens = FinishingReply.pieces.length;
  assert.ok(check.outputTokens === tokens || check.outputTokens === tokens + 1, what);
  assert.ok(check.tokensPerSecond !== null && check.tokensPerSecond > 0, what);
}

test("the keyed server without a key: exit 1, every failing row says 401, /health (open to all) passes", async () => {
  const { code, output } = await runUntilExit({}, ["check", keyed.baseUrl]);
  assert.equal(code, 1, output);
  assert.match(row(output, "health", "health")[1]!, /^200\s.*\sok$/);
  const failing = output.split("\n").filter((line) => line.includes("FAIL"));
  assert.ok(failing.length >= ROWS.length, output);
  for (const line of failing.filter((l) => !l.startsWith("FAIL:"))) assert.match(line, /401/, line);
  const json = jsonReport((await runUntilExit({}, ["check", keyed.baseUrl, "--model", "qwen3-0.6b", "--json"])).output);
  for (const check of json[0]!.checks.slice(1)) {
    assert.deepEqual([check.name, check.pass, check.status], [check.name, false, 401], JSON.stringify(check));
  }
});

test("a URL nothing listens on: exit 1, every probe (plain fetch and each SDK) ECONNREFUSED, no crash", async () => {
  const url = await closedPortUrl();
  const { code, output } = await runUntilExit({}, ["check", url, "--model", "qwen3-0.6b", "--timeout", "10"]);
  assert.equal(code, 1, output);
  assert.match(output, /FAIL: 15 probes failed/);
  const reasons = output.split("\n").filter((line) => line.startsWith(`  FAIL ${url}`));
  assert.equal(reasons.length, ROWS.length, output);
  for (const line of reasons) assert.match(line, /: ECONNREFUSED$/, line);
  assert.doesNotMatch(output, /^lals: |\n\s+at /m, "no uncaught error");
  const discovered = await runUntilExit({}, ["check", url]);
  assert.equal(discovered.code, 1, discovered.output);
  assert.match(discovered.output, /no model found \(GET \/v1\/models: ECONNREFUSED\); pass --model/);
});

test("misuse: no URL is a usage error, exit 2; --help prints the usage, exit 0", async () => {
  const missing = await runUntilExit({}, ["check"]);
  assert.equal(missing.code, 2, missing.output);
  assert.match(missing.output, /a server URL is missing[\s\S]*usage: lals check URL \[URL2\]/);
  const help = await runUntilExit({}, ["check", "--help"]);
  assert.equal(help.code, 0, help.output);
  assert.match(help.output, /--api-key2 K/);
});
