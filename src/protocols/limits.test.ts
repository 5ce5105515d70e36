// The bounds of limits.ts, through the HTTP server: each refused with a 400 (or 413) naming the field and the limit,
// before the engine is asked anything.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../config.js";
import { Router } from "../engines/router.js";
import { ScriptedEngine } from "../../test/scripted-engine.js";
import { buildServer } from "../server.js";
import { LIMITS } from "./limits.js";

async function server() {
  const engine = new ScriptedEngine("m", { inputTokens: 3, deltas: ["hi"] });
  return { app: await buildServer(loadConfig([], {}), new Router([engine])), engine };
}

type OpenAIError = { error: { message: string; param: string | null; code: string | null } };
const user = [{ role: "user", content: "x" }];
const json = { "content-type": "application/json" };

test("a 20 MB body of ten million invalid messages is refused 400 with little memory, and the server goes on", async () => {
  const { app, engine } = await server();
  const payload = `{"model":"m","messages":[${"1,".repeat(10_000_000 - 1)}1]}`;
  // maxRSS is the process's peak, so it catches what a sampler on the blocked event loop could not.
  const before = process.resourceUsage().maxRSS * 1024;
  const response = await app.inject({ method: "POST", url: "/v1/chat/completions", headers: json, payload });
  const growth = process.resourceUsage().maxRSS * 1024 - before;
  assert.equal(response.statusCode, 400);
  assert.equal(response.json<OpenAIError>().error.param, "messages");
  assert.match(response.json<OpenAIError>().error.message, new RegExp(`limit of ${LIMITS.jsonItems}`));
  // The parsed array itself is ~80 MB; one issue object per item, as before, took gigabytes and the process.
  assert.ok(growth < 400 * 1024 * 1024, `peak memory grew by ${Math.round(growth / 1e6)} MB`);
  assert.equal(engine.requests.length, 0);
  const next = await app.inject({ method: "POST", url: "/v1/chat/completions", headers: json, payload: { model: "m", messages: user } });
  assert.equal(next.statusCode, 200);
});

test("a hundred thousand nested arrays are a 400, not a stack overflow", async () => {
  const { app } = await server();
  const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
  for (const url of ["/v1/chat/completions", "/v1/messages", "/v1/inference"]) {
    const response = await app.inject({ method: "POST", url, headers: json, payload: `{"model":"m","max_tokens":4,"messages":[{"role":"user","content":"x"}],"metadata":${deep}}` });
    assert.equal(response.statusCode, 400, url);
    assert.match(response.body, new RegExp(`more than ${LIMITS.jsonDepth} levels`), url);
  }
  const tool = await app.inject({
    method: "POST", url: "/v1/messages", headers: json,
    payload: `{"model":"m","max_tokens":4,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{"a":${deep}}}]}]}`,
  });
  assert.equal(tool.statusCode, 400);
});

test("a 3 MB stop string is refused 400 naming the limit, and never reaches the engine", async () => {
  const { app, engine } = await server();
  const stop = "x".repeat(3 * 1024 * 1024);
  const openai = await app.inject({ method: "POST", url: "/v1/chat/completions", headers: json, payload: { model: "m", messages: user, stop } });
  assert.equal(openai.statusCode, 400);
  assert.equal(openai.json<OpenAIError>().error.param, "stop");
  assert.match(openai.json<OpenAIError>().error.message, new RegExp(`at most ${LIMITS.stopChars} characters`));
  const list = await app.inject({ method: "POST", url: "/v1/completions", headers: json, payload: { model: "m", prompt: "x", stop: ["a", stop] } });
  assert.equal(list.json<OpenAIError>().error.param, "stop[1]");
  const anthropic = await app.inject({ method: "POST", url: "/v1/messages", headers: json, payload: { model: "m", max_tokens: 4, messages: user, stop_sequences: [stop] } });
  assert.equal(anthropic.statusCode, 400);
  assert.match(anthropic.json<{ error: { message: string } }>().error.message, /^stop_sequences\[0\]: at most 256 characters/);
  const five = await app.inject({ method: "POST", url: "/v1/chat/completions", headers: json, payload: { model: "m", messages: user, stop: ["a", "b", "c", "d", "e"] } });
  assert.equal(five.statusCode, 400);
  assert.match(five.json<OpenAIError>().error.message, /at most 4 stop sequences/);
  assert.equal(engine.requests.length, 0);
});

test("too many tools, or a tool schema past OpenAI's bounds, is a 400 naming the limit", async () => {
  const { app, engine } = await server();
  const fn = (name: string, parameters: object = { type: "object" }) => ({ type: "function", function: { name, parameters } });
  const many = Array.from({ length: LIMITS.tools.openai + 1 }, (_, i) => fn(`f${i}`));
  const tooMany = await app.inject({ method: "POST", url: "/v1/chat/completions", headers: json, payload: { model: "m", messages: user, tools: many } });
  assert.equal(tooMany.statusCode, 400);
  assert.equal(tooMany.json<OpenAIError>().error.param, "tools");
  assert.match(tooMany.json<OpenAIError>().error.message, /at most 128 tools/);
  const bigEnum = { type: "object", properties: { a: { type: "string", enum: Array.from({ length: 1001 }, (_, i) => `v${i}`) } } };
  const enumTool = await app.inject({ method: "POST", url: "/v1/chat/completions", headers: json, payload: { model: "m", messages: user, tools: [fn("f", bigEnum)] } });
  assert.equal(enumTool.statusCode, 400);
  assert.match(enumTool.json<OpenAIError>().error.message, /^tools\[0\]\.function\.parameters\.properties\.a: has more than 1000 enum values/);
  const anthropicTools = Array.from({ length: LIMITS.tools.anthropic + 1 }, (_, i) => ({ name: `f${i}`, input_schema: { type: "object" } }));
  const anthropic = await app.inject({ method: "POST", url: "/v1/messages", headers: json, payload: { model: "m", max_tokens: 4, messages: user, tools: anthropicTools } });
  assert.equal(anthropic.statusCode, 400);
  assert.equal(anthropic.json<{ type: string; error: { type: string } }>().error.type, "invalid_request_error");
  assert.equal(engine.requests.length, 0);
});

test("messages, logit_bias entries, model names and total text are bounded", async () => {
  const { app } = await server();
  const cases: { payload: object; param: string | null; status?: number }[] = [
    { payload: { model: "m", messages: Array.from({ length: LIMITS.messages.openai + 1 }, () => user[0]) }, param: "messages" },
    { payload: { model: "m", messages: user, logit_bias: Object.fromEntries(Array.from({ length: 301 }, (_, i) => [String(i), 1])) }, param: "logit_bias" },
    { payload: { model: "x".repeat(LIMITS.modelName + 1), messages: user }, param: "model" },
    { payload: { model: "m", messages: [{ role: "user", content: Array.from({ length: LIMITS.contentParts + 1 }, () => ({ type: "text", text: "x" })) }] }, param: "messages[0].content" },
    { payload: { model: "m", messages: Array.from({ length: 9 }, () => ({ role: "user", content: "x".repeat(1024 * 1024) })) }, param: null, status: 413 },
  ];
  for (const c of cases) {
    const response = await app.inject({ method: "POST", url: "/v1/chat/completions", headers: json, payload: c.payload });
    assert.equal(response.statusCode, c.status ?? 400, c.param ?? "text");
    assert.equal(response.json<OpenAIError>().error.param, c.param);
  }
  const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
  assert.match(metrics, new RegExp(`lals_rejections_total\\{reason="input_limit"\\} ${cases.length}`));
});
