import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../config.js";
import { GatewayError } from "../core/gateway-error.js";
import { Router } from "../engines/router.js";
import { buildServer } from "../server.js";
import { TokenBudget } from "./rate-limits.js";
import { ScriptedEngine, type Script } from "../../test/scripted-engine.js";

test("a token budget counts per client in one-minute windows", () => {
  // lru-cache takes a time of 0 for "never set": the clock starts where a real one would be.
  const T0 = 1_700_000_000_000;
  let now = T0;
  const budget = new TokenBudget({ perMinute: 100, now: () => now });
  budget.spend("a", 70);
  assert.deepEqual(budget.state("a"), { remaining: 30, resetSeconds: 60 });
  assert.deepEqual(budget.state("b"), { remaining: 100, resetSeconds: 60 });
  budget.spend("a", 50);
  now = T0 + 45_000;
  assert.deepEqual(budget.state("a"), { remaining: 0, resetSeconds: 15 });
  now = T0 + 60_000;
  assert.deepEqual(budget.state("a"), { remaining: 100, resetSeconds: 60 });
});

test("a token budget forgets windows that are over, and keeps at most maxClients", () => {
  const T0 = 1_700_000_000_000;
  let now = T0;
  const budget = new TokenBudget({ perMinute: 100, maxClients: 3, now: () => now });
  for (let i = 0; i < 1000; i++) budget.spend(`client-${i}`, 1);
  assert.equal(budget.clients, 3, "bounded");
  assert.equal(budget.state("client-999").remaining, 99, "the newest are the ones kept");
  now = T0 + 30_000;
  budget.spend("late", 1);
  now = T0 + 60_000;
  assert.equal(budget.clients, 1, "windows that ended are dropped");
  now = T0 + 90_000;
  assert.equal(budget.clients, 0);
});

const chat = (stream = false) => ({ method: "POST" as const, url: "/v1/chat/completions", payload: { model: "m", stream, messages: [{ role: "user", content: "x" }] } });

async function app(env: Record<string, string>, script: Script, apiKeys: string[] = []) {
  return buildServer(loadConfig([], { RATE_LIMIT_ENABLED: "true", ...env }), new Router([new ScriptedEngine("m", script)]), { apiKeys });
}

test("without keys, a made-up key buys no fresh allowance: limits follow the address", async () => {
  const server = await app({ RATE_LIMIT_RPM: "2" }, { inputTokens: 1, deltas: ["a"] });
  assert.equal((await server.inject(chat())).statusCode, 200);
  assert.equal((await server.inject(chat())).statusCode, 200);
  for (const headers of [{}, { "x-api-key": randomUUID() }, { authorization: `Bearer ${randomUUID()}` }]) {
    assert.equal((await server.inject({ ...chat(), headers })).statusCode, 429, JSON.stringify(headers));
  }
});

test("with keys, each verified key has its own allowance", async () => {
  const server = await app({ RATE_LIMIT_RPM: "1" }, { inputTokens: 1, deltas: ["a"] }, ["sk-a", "sk-b"]);
  assert.equal((await server.inject({ ...chat(), headers: { "x-api-key": "sk-a" } })).statusCode, 200);
  assert.equal((await server.inject({ ...chat(), headers: { "x-api-key": "sk-a" } })).statusCode, 429);
  assert.equal((await server.inject({ ...chat(), headers: { "x-api-key": "sk-b" } })).statusCode, 200);
});

test("a generation that fails mid-way is charged for the tokens it used", async () => {
  const server = await app({ RATE_LIMIT_TPM: "100" }, { inputTokens: 120, deltas: ["a", "b"], failWith: new GatewayError("upstream", "broke") });
  const failed = await server.inject(chat(true));
  assert.equal(failed.statusCode, 200);
  assert.match(failed.body, /broke/);
  await sleep(10);
  const next = await server.inject(chat(true));
  assert.equal(next.statusCode, 429);
  assert.equal(next.headers["x-ratelimit-remaining-tokens"], "0");
});

test("a stream the client abandons is charged for the tokens it used", async (t) => {
  const server = await app({ RATE_LIMIT_TPM: "100" }, { inputTokens: 120, deltas: Array.from({ length: 100 }, () => "a"), delayMs: 20 });
  await server.listen({ host: "127.0.0.1", port: 0 });
  t.after(() => server.close());
  const { port } = server.server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    const request = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/v1/chat/completions", headers: { "content-type": "application/json" } }, (response) => {
      response.once("data", () => {
        request.destroy();
        resolve();
      });
    });
    request.on("error", (error) => (request.destroyed ? undefined : reject(error)));
    request.end(JSON.stringify(chat(true).payload));
  });
  await sleep(100);
  const next = await server.inject(chat());
  assert.equal(next.statusCode, 429);
});

test("a reservation holds tokens until it is settled with what the request used", () => {
  const T0 = 1_700_000_000_000;
  const budget = new TokenBudget({ perMinute: 300, now: () => T0 });
  const first = budget.reserve("a", 220);
  assert.ok(first !== undefined);
  assert.equal(budget.state("a").remaining, 80);
  assert.equal(budget.reserve("a", 220), undefined, "a second request that may use 220 does not fit beside the first");
  budget.settle("a", first, 40);
  assert.equal(budget.state("a").remaining, 260, "the first used 40 of the 220 it held");
  const whole = budget.reserve("b", 10_000);
  assert.equal(whole?.tokens, 300, "a request larger than the budget holds the whole budget, in a window of its own");
  assert.equal(budget.reserve("b", 1), undefined);
});

test("concurrent generations are admitted against the budget they may use, not what earlier ones have spent", async (t) => {
  // Eight at once, each with max_tokens 100 and a minute's budget of 300: at most three fit; before reservations all
  // eight passed a check made before any had spent, and together used eight times what one uses.
  const server = await app({ RATE_LIMIT_TPM: "300" }, { inputTokens: 10, deltas: Array.from({ length: 30 }, () => "a"), delayMs: 5 });
  t.after(() => server.close());
  const body = { model: "m", max_tokens: 100, messages: [{ role: "user", content: "x" }] };
  const replies = await Promise.all(Array.from({ length: 8 }, () => server.inject({ method: "POST", url: "/v1/chat/completions", payload: body })));
  const statuses = replies.map((r) => r.statusCode);
  const admitted = statuses.filter((s) => s === 200).length;
  assert.ok(admitted >= 1 && admitted <= 3, JSON.stringify(statuses));
  assert.equal(statuses.filter((s) => s === 429).length, 8 - admitted);
});

test("count_tokens is charged to the token budget like a prompt", async (t) => {
  const server = await app({ RATE_LIMIT_TPM: "100" }, { inputTokens: 150, deltas: [] });
  t.after(() => server.close());
  const count = { method: "POST" as const, url: "/v1/messages/count_tokens", payload: { model: "m", messages: [{ role: "user", content: "x" }] } };
  assert.equal((await server.inject(count)).statusCode, 200);
  await sleep(10);
  assert.equal((await server.inject(count)).statusCode, 429);
});
