// API keys end to end: both SDKs with the right key, the wrong one, and none; keys from the list and from a file;
// and the per-key token budget of rate limiting.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { runUntilExit, startServer, type RunningServer } from "./harness.js";

let server: RunningServer;
const keysFile = join(mkdtempSync(join(tmpdir(), "lals-keys-")), "keys");

before(async () => {
  writeFileSync(keysFile, "# from a file\nsk-file\n");
  server = await startServer({ env: { API_KEYS: "sk-list,sk-tokens", API_KEYS_FILE: keysFile, RATE_LIMIT_ENABLED: "true", RATE_LIMIT_RPM: "100", RATE_LIMIT_TPM: "40" } });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const ask = { model: "qwen3-0.6b", max_tokens: 2, messages: [{ role: "user" as const, content: "Hi" }] };

test("the right key works for both SDKs, whether it came from the list or the file", async () => {
  const openai = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "sk-list", maxRetries: 0 });
  assert.equal((await openai.chat.completions.create(ask)).choices[0]?.finish_reason, "length");
  const anthropic = new Anthropic({ baseURL: server.baseUrl, apiKey: "sk-file", maxRetries: 0 });
  assert.equal((await anthropic.messages.create(ask)).stop_reason, "max_tokens");
  assert.ok(server.logs.some((l) => l.msg === "API keys required" && l.keys === 3));
});

test("a wrong or missing key is a typed 401 in each SDK; /health needs none", async () => {
  await assert.rejects(new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "sk-wrong", maxRetries: 0 }).chat.completions.create(ask), OpenAI.AuthenticationError);
  await assert.rejects(new Anthropic({ baseURL: server.baseUrl, apiKey: "sk-wrong", maxRetries: 0 }).messages.create(ask), Anthropic.AuthenticationError);
  const none = await fetch(`${server.baseUrl}/v1/chat/completions`, { method: "POST", body: JSON.stringify(ask) });
  assert.equal(none.status, 401);
  assert.equal((await fetch(`${server.baseUrl}/health`)).status, 200);
});

test("an unreadable API_KEYS_FILE stops start-up with exit 2", async () => {
  const { code, output } = await runUntilExit({ API_KEYS_FILE: join(keysFile, "missing") });
  assert.equal(code, 2);
  assert.match(output, /API_KEYS_FILE=/);
});

test("a key past its tokens per minute gets a 429 with retry-after; other keys go on", async () => {
  const spender = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "sk-tokens", maxRetries: 0 });
  const first = await spender.chat.completions.create({ ...ask, max_tokens: 30 });
  assert.ok(first.usage!.total_tokens >= 40, "one request spends the minute's budget");
  await assert.rejects(spender.chat.completions.create(ask), (error: unknown) => {
    assert.ok(error instanceof OpenAI.RateLimitError);
    assert.ok(Number(error.headers?.get("retry-after")) > 0);
    assert.equal(error.headers?.get("x-ratelimit-remaining-tokens"), "0");
    return true;
  });
  const other = new Anthropic({ baseURL: server.baseUrl, apiKey: "sk-file", maxRetries: 0 });
  assert.equal((await other.messages.create(ask)).stop_reason, "max_tokens");
});
