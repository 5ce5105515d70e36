// HTTP-level behaviour that needs no loaded model, through fastify's inject().
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "./config.js";
import { LlamaEngine } from "./engines/llama/llama-engine.js";
import { Router } from "./engines/router.js";
import { buildServer } from "./server.js";
import { pino } from "pino";

const engine = (modelPath: string) => new LlamaEngine({
  source: { uri: modelPath, cacheDir: "" }, alias: "qwen3-0.6b", chatTemplate: "auto", contextSize: 512, kvType: "f16", threads: 1, poll: false, promptCache: { maxBytes: 0, dir: "" }, batchSize: 0, useMmap: false,
  parallel: 1, maxQueue: 1, queueTimeoutMs: 0, defaults: { temperature: 0.7, topP: 0.9, thinking: "auto" }, log: pino({ level: "silent" }),
});

async function server(modelPath = "/nonexistent.gguf", env: Record<string, string> = {}) {
  const e = engine(modelPath);
  return { app: await buildServer(loadConfig([], env), new Router([e])), engine: e };
}

const ANTHROPIC = { "anthropic-version": "2023-06-01" };

test("/health is 503 with a reason while the model loads, and after it failed to load", async () => {
  const { app, engine: e } = await server();
  let response = await app.inject({ method: "GET", url: "/health" });
  assert.equal(response.statusCode, 503);
  assert.deepEqual(response.json(), { status: "unavailable", reason: "model is loading" });
  await assert.rejects(e.load());
  response = await app.inject({ method: "GET", url: "/health" });
  assert.equal(response.statusCode, 503);
  assert.match(response.json<{ reason: string }>().reason, /failed to load: MODEL_PATH: no file/);
});

test("a chat request while the model is not ready is a 503 in OpenAI's shape with retry-after", async () => {
  const { app } = await server();
  const response = await app.inject({ method: "POST", url: "/v1/chat/completions", payload: { model: "qwen3-0.6b", messages: [{ role: "user", content: "x" }] } });
  assert.equal(response.statusCode, 503);
  assert.equal(response.headers["retry-after"], "5");
  assert.equal(response.json<{ error: { type: string } }>().error.type, "server_error");
});

test("bad bodies get 400s in OpenAI's shape, whatever the content type", async () => {
  const { app } = await server();
  const cases = [
    { payload: "{not json", headers: { "content-type": "application/json" } },
    { payload: "[1,2]", headers: { "content-type": "application/json" } },
    { payload: '{"model":"qwen3-0.6b"}', headers: { "content-type": "application/x-www-form-urlencoded" } },
    { payload: "", headers: { "content-type": "application/json" } },
  ];
  for (const c of cases) {
    const response = await app.inject({ method: "POST", url: "/v1/chat/completions", ...c });
    assert.equal(response.statusCode, 400, c.payload);
    assert.equal(response.json<{ error: { type: string } }>().error.type, "invalid_request_error");
  }
});

test("a body over the size limit is a 413 in each protocol's shape", async () => {
  const { app } = await server();
  const payload = `"${"x".repeat(33 * 1024 * 1024)}"`;
  const openai = await app.inject({ method: "POST", url: "/v1/chat/completions", headers: { "content-type": "application/json" }, payload });
  assert.equal(openai.statusCode, 413);
  assert.equal(openai.json<{ error: { code: string } }>().error.code, "request_too_large");
  const anthropic = await app.inject({ method: "POST", url: "/v1/messages", headers: { "content-type": "application/json" }, payload });
  assert.equal(anthropic.statusCode, 413);
  assert.deepEqual(anthropic.json<{ type: string; error: { type: string } }>().error.type, "request_too_large");
});

test("unknown endpoints are 404s, and every response carries a request id", async () => {
  const { app } = await server();
  const response = await app.inject({ method: "GET", url: "/v1/nothing", headers: { "x-request-id": "abc-123" } });
  assert.equal(response.statusCode, 404);
  assert.equal(response.headers["x-request-id"], "abc-123");
  assert.match(String((await app.inject({ method: "GET", url: "/" })).headers["x-request-id"]), /^req_/);
});

test("Anthropic endpoints answer in Anthropic's shape: 503 while loading, 400 for bad JSON", async () => {
  const { app } = await server();
  const loading = await app.inject({ method: "POST", url: "/v1/messages", payload: { model: "qwen3-0.6b", max_tokens: 4, messages: [{ role: "user", content: "x" }] } });
  assert.equal(loading.statusCode, 503);
  assert.equal(loading.headers["retry-after"], "5");
  assert.deepEqual(loading.json(), {
    type: "error", error: { type: "api_error", message: "Not ready: the model is still loading." }, request_id: loading.headers["request-id"],
  });
  const badJson = await app.inject({ method: "POST", url: "/v1/messages/count_tokens", headers: { "content-type": "application/json" }, payload: "{" });
  assert.equal(badJson.statusCode, 400);
  assert.equal(badJson.json<{ error: { type: string } }>().error.type, "invalid_request_error");
});

test("shared paths answer each client in its protocol's shape", async () => {
  const { app } = await server();
  const anthropic404 = await app.inject({ method: "GET", url: "/v1/nothing", headers: ANTHROPIC });
  assert.equal(anthropic404.json<{ type: string; error: { type: string } }>().error.type, "not_found_error");
  const openai404 = await app.inject({ method: "GET", url: "/v1/nothing" });
  assert.equal(openai404.json<{ error: { type: string } }>().error.type, "invalid_request_error");
  const missingModel = await app.inject({ method: "GET", url: "/v1/models/nope", headers: { "x-api-key": "k" } });
  assert.equal(missingModel.statusCode, 404);
  assert.equal(missingModel.json<{ error: { type: string } }>().error.type, "not_found_error");
  const badLimit = await app.inject({ method: "GET", url: "/v1/models?limit=0", headers: ANTHROPIC });
  assert.equal(badLimit.statusCode, 400);
  assert.equal(badLimit.json<{ error: { type: string } }>().error.type, "invalid_request_error");
});

test("ENABLE_ANTHROPIC_API=false removes the Anthropic endpoints and leaves OpenAI's", async () => {
  const { app } = await server(undefined, { ENABLE_ANTHROPIC_API: "false" });
  const messages = await app.inject({ method: "POST", url: "/v1/messages", headers: ANTHROPIC, payload: {} });
  assert.equal(messages.statusCode, 404);
  assert.ok("error" in messages.json<object>() && !("type" in messages.json<object>()), "OpenAI's shape");
  const info = (await app.inject({ method: "GET", url: "/" })).json<{ protocols: { anthropic: boolean }; endpoints: string[] }>();
  assert.equal(info.protocols.anthropic, false);
  assert.ok(!info.endpoints.includes("POST /v1/messages"));
});

test("with API keys, requests need one (Bearer or x-api-key) and are refused 401 in their protocol's shape; /health and / stay open", async () => {
  const e = engine("/nonexistent.gguf");
  const app = await buildServer(loadConfig([], {}), new Router([e]), { apiKeys: ["sk-right"] });
  const chat = { method: "POST" as const, url: "/v1/chat/completions", payload: { model: "qwen3-0.6b", messages: [{ role: "user", content: "x" }] } };
  const missing = await app.inject(chat);
  assert.equal(missing.statusCode, 401);
  assert.equal(missing.json<{ error: { code: string } }>().error.code, "invalid_api_key");
  const wrong = await app.inject({ ...chat, headers: { authorization: "Bearer sk-wrong" } });
  assert.equal(wrong.statusCode, 401);
  const anthropic = await app.inject({ method: "POST", url: "/v1/messages", headers: { "x-api-key": "sk-wrong", ...ANTHROPIC }, payload: {} });
  assert.equal(anthropic.statusCode, 401);
  assert.equal(anthropic.json<{ error: { type: string } }>().error.type, "authentication_error");
  const models = await app.inject({ method: "GET", url: "/v1/models", headers: { "x-api-key": "nope" } });
  assert.equal(models.json<{ error: { type: string } }>().error.type, "authentication_error");
  // Past the key check, this model-less server answers 503: the key was accepted.
  assert.equal((await app.inject({ ...chat, headers: { authorization: "Bearer sk-right" } })).statusCode, 503);
  assert.equal((await app.inject({ ...chat, headers: { "x-api-key": "sk-right" } })).statusCode, 503);
  assert.equal((await app.inject({ method: "GET", url: "/health" })).statusCode, 503);
  const info = await app.inject({ method: "GET", url: "/" });
  assert.equal(info.statusCode, 200);
  assert.ok(!info.body.includes("sk-right"));
});

test("rate limiting: past RATE_LIMIT_RPM a client gets 429 with retry-after and both vendors' headers, in its protocol's shape", async () => {
  const e = engine("/nonexistent.gguf");
  const app = await buildServer(loadConfig([], { RATE_LIMIT_ENABLED: "true", RATE_LIMIT_RPM: "2" }), new Router([e]));
  const chat = { method: "POST" as const, url: "/v1/chat/completions", payload: { model: "qwen3-0.6b", messages: [{ role: "user", content: "x" }] } };
  const first = await app.inject(chat);
  assert.equal(first.headers["x-ratelimit-limit-requests"], "2");
  assert.equal(first.headers["x-ratelimit-remaining-requests"], "1");
  assert.equal(first.headers["anthropic-ratelimit-requests-remaining"], "1");
  await app.inject(chat);
  const limited = await app.inject(chat);
  assert.equal(limited.statusCode, 429);
  assert.ok(Number(limited.headers["retry-after"]) > 0);
  assert.equal(limited.json<{ error: { type: string; code: string } }>().error.code, "rate_limit_exceeded");
  const anthropic = await app.inject({ method: "POST", url: "/v1/messages", headers: ANTHROPIC, payload: {} });
  assert.equal(anthropic.statusCode, 429);
  assert.equal(anthropic.json<{ error: { type: string } }>().error.type, "rate_limit_error");
  assert.equal((await app.inject({ method: "GET", url: "/health" })).statusCode, 503, "/health is never limited");
  const madeUpKey = await app.inject({ ...chat, headers: { authorization: "Bearer someone-else" } });
  assert.equal(madeUpKey.statusCode, 429, "without keys, limits are per address: an unverified key buys nothing");
});

test("Claude Code's first calls: HEAD / and HEAD /health answer, and ?beta=true reaches every Anthropic path", async () => {
  const { app } = await server();
  assert.equal((await app.inject({ method: "HEAD", url: "/" })).statusCode, 200);
  assert.equal((await app.inject({ method: "HEAD", url: "/health" })).statusCode, 503, "HEAD /health tells the model's state as GET does");
  for (const url of ["/v1/messages?beta=true", "/v1/messages/count_tokens?beta=true", "/v1/complete?beta=true"]) {
    const response = await app.inject({ method: "POST", url, headers: { ...ANTHROPIC, "anthropic-beta": "claude-code-20250219,context-management-2025-06-27,some-future-beta" }, payload: "{" });
    assert.equal(response.statusCode, 400, `${url}: routed and answered as a bad body, not a 404`);
    assert.equal(response.json<{ type: string }>().type, "error");
  }
});
