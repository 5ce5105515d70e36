// A new endpoint is one record: served by the one generic function, it gets the server's keys, bounds, error shape,
// request log and metrics without a line of its own for any of them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { ScriptedEngine } from "../../test/scripted-engine.js";
import { loadConfig } from "../config.js";
import { Router } from "../engines/router.js";
import { defineEndpoint } from "../protocols/endpoint.js";
import { createResponsesState } from "../protocols/openai/responses/state.js";
import { buildServer } from "../server.js";
import { serveEndpoint } from "./serve-endpoint.js";
import { TenantShares } from "./tenant-shares.js";

const echo = defineEndpoint({
  name: "test-echo",
  protocol: "anthropic",
  method: "POST",
  paths: ["/v1/echo"],
  body: z.object({ text: z.string().max(8) }),
  answer: ({ body, partition }) => ({ type: "json", body: { text: body.text, partition } }),
});

async function server() {
  const config = loadConfig([], {});
  const router = new Router([new ScriptedEngine("m", { inputTokens: 1, deltas: [] })]);
  const app = await buildServer(config, router, { apiKeys: ["sk-a"] });
  serveEndpoint(app, echo, { router, config, shutdown: new AbortController().signal, cache: undefined, state: { responses: createResponsesState() }, shares: new TenantShares({ perTenant: 0, maxWaiting: 0 }) });
  return app;
}

test("a trivial endpoint record gets keys, bounds, its protocol's error shape and metrics from the generic server", async () => {
  const app = await server();
  const key = { authorization: "Bearer sk-a" };
  const ok = await app.inject({ method: "POST", url: "/v1/echo", headers: key, payload: { text: "hi" } });
  assert.equal(ok.statusCode, 200);
  assert.match(ok.json<{ partition: string }>().partition, /^key:/);

  const anonymous = await app.inject({ method: "POST", url: "/v1/echo", payload: { text: "hi" } });
  assert.equal(anonymous.statusCode, 401);
  assert.equal(anonymous.json<{ type: string }>().type, "error", "Anthropic's error shape");

  const tooLong = await app.inject({ method: "POST", url: "/v1/echo", headers: key, payload: { text: "x".repeat(9) } });
  assert.equal(tooLong.statusCode, 400);
  assert.equal(tooLong.json<{ error: { type: string } }>().error.type, "invalid_request_error");

  const deep = await app.inject({ method: "POST", url: "/v1/echo", headers: { ...key, "content-type": "application/json" }, payload: `{"text":"a","x":${"[".repeat(100)}${"]".repeat(100)}}` });
  assert.equal(deep.statusCode, 400);
  assert.match(deep.body, /levels deep/);

  const poisoned = await app.inject({ method: "POST", url: "/v1/echo", headers: { ...key, "content-type": "application/json" }, payload: '{"text":"a","__proto__":{"x":1}}' });
  assert.equal(poisoned.statusCode, 400, "fastify's parser refuses prototype poisoning");

  const metrics = (await app.inject({ method: "GET", url: "/metrics", headers: key })).body;
  assert.match(metrics, /lals_requests_total\{protocol="anthropic",endpoint="\/v1\/echo",status="200"\} 1/);
});

test("/v1/inference refused before detection (no key) answers in the configured default protocol's shape", async () => {
  const config = loadConfig([], { UNIVERSAL_DEFAULT_PROTOCOL: "anthropic" });
  const app = await buildServer(config, new Router([new ScriptedEngine("m", { inputTokens: 1, deltas: [] })]), { apiKeys: ["sk-a"] });
  const refused = await app.inject({ method: "POST", url: "/v1/inference", payload: { model: "m", messages: [{ role: "user", content: "x" }] } });
  assert.equal(refused.statusCode, 401);
  assert.equal(refused.json<{ type: string }>().type, "error", "Anthropic's error shape");
  const metrics = (await app.inject({ method: "GET", url: "/metrics", headers: { authorization: "Bearer sk-a" } })).body;
  assert.match(metrics, /lals_requests_total\{protocol="anthropic",endpoint="\/v1\/inference",status="401"\} 1/);
});
