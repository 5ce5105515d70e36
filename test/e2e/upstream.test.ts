// LALS in front of other servers: two LALS processes on the fixture serve as OpenAI-compatible upstream replicas of
// a front LALS, which both SDKs talk to. Routing, streaming pass-through, tools, failover, cancellation, errors.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { eventually, startServer, type RunningServer } from "./harness.js";

let replicaA: RunningServer;
let replicaB: RunningServer;
let front: RunningServer;
let anthropic: Anthropic;
let openai: OpenAI;

before(async () => {
  [replicaA, replicaB] = await Promise.all([startServer({ env: { MAX_TOKENS_LIMIT: "4000" } }), startServer({ env: { MAX_TOKENS_LIMIT: "4000" } })]);
  const config = join(mkdtempSync(join(tmpdir(), "lals-config-")), "lals.json");
  writeFileSync(config, JSON.stringify({
    models: [
      { id: "fleet", aliases: ["claude-*", "gpt-4o*"], upstream: { protocol: "openai", model: "qwen3-0.6b", replicas: [{ baseUrl: `${replicaA.baseUrl}/v1` }, { baseUrl: `${replicaB.baseUrl}/v1` }] } },
      { id: "anthro", upstream: { protocol: "anthropic", model: "qwen3-0.6b", replicas: [{ baseUrl: `${replicaB.baseUrl}/v1`, apiKey: "unused" }] } },
      { id: "probed", upstream: { protocol: "openai", model: "qwen3-0.6b", balance: "weighted-round-robin", healthCheckSeconds: 0.2, replicas: [{ baseUrl: "http://127.0.0.1:9/v1", weight: 5 }, { baseUrl: `${replicaB.baseUrl}/v1` }] } },
      { id: "resp", upstream: { protocol: "openai-responses", model: "qwen3-0.6b", replicas: [{ baseUrl: `${replicaA.baseUrl}/v1` }] } },
      { id: "gem", upstream: { protocol: "gemini", model: "qwen3-0.6b", replicas: [{ baseUrl: `${replicaA.baseUrl}/v1beta`, apiKey: "unused" }] } },
      { id: "oll", upstream: { protocol: "ollama", model: "qwen3-0.6b", replicas: [{ baseUrl: `${replicaB.baseUrl}/api` }] } },
      { id: "flaky", fallback: "qwen3-0.6b", upstream: { protocol: "openai", model: "qwen3-0.6b", replicas: [{ baseUrl: "http://127.0.0.1:9/v1" }], healthCheckSeconds: 0 } },
    ],
  }));
  front = await startServer({ env: { LALS_CONFIG: config, MAX_TOKENS_LIMIT: "4000" } });
  anthropic = new Anthropic({ baseURL: front.baseUrl, apiKey: "unused", maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${front.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
});
after(async () => {
  await Promise.all([front, replicaA, replicaB].map((s) => s.stop()));
});

const ask = [{ role: "user" as const, content: "Hi" }];
const weather = { type: "object", properties: { city: { type: "string", enum: ["Paris", "Rome"] } }, required: ["city"] };

test("an Anthropic client reaches the OpenAI-compatible upstream by an alias, streamed and not; the local model is still served", async () => {
  const message = await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 5, system: "Be brief.", messages: ask });
  assert.equal(message.model, "claude-sonnet-4-5");
  assert.equal(message.stop_reason, "max_tokens");
  assert.equal(message.usage.output_tokens, 5);
  assert.ok(message.usage.input_tokens + (message.usage.cache_read_input_tokens ?? 0) > 0);
  const streamed = await anthropic.messages.stream({ model: "fleet", max_tokens: 5, messages: ask }).finalMessage();
  assert.equal(streamed.usage.output_tokens, 5);
  const local = await openai.chat.completions.create({ model: "qwen3-0.6b", messages: ask, max_tokens: 2 });
  assert.equal(local.choices[0]?.finish_reason, "length");
  const ids = (await openai.models.list()).data.map((m) => m.id);
  assert.deepEqual(ids, ["qwen3-0.6b", "fleet", "anthro", "probed", "resp", "gem", "oll", "flaky", "claude-*", "gpt-4o*", "gpt-*", "chatgpt-*", "o<digit>*", "codex-*", "gemini-*"]);
});

test("tool calls pass through both ways: OpenAI required and Anthropic any", async () => {
  const completion = await openai.chat.completions.create({
    model: "gpt-4o", messages: ask, max_tokens: 100, parallel_tool_calls: false, tool_choice: "required",
    tools: [{ type: "function", function: { name: "weather", parameters: weather } }],
  });
  const call = completion.choices[0]?.message.tool_calls?.[0];
  assert.ok(call?.type === "function" && call.function.name === "weather");
  assert.ok(["Paris", "Rome"].includes((JSON.parse(call.function.arguments) as { city: string }).city));
  assert.equal(completion.choices[0]?.finish_reason, "tool_calls");

  const message = await anthropic.messages.stream({
    model: "fleet", max_tokens: 100, messages: ask, tools: [{ name: "weather", input_schema: weather as Anthropic.Tool.InputSchema }],
    tool_choice: { type: "any", disable_parallel_tool_use: true },
  }).finalMessage();
  const use = message.content.find((b) => b.type === "tool_use");
  assert.ok(use?.type === "tool_use" && use.name === "weather");
  assert.equal(message.stop_reason, "tool_use");
});

test("an OpenAI client reaches an Anthropic-compatible upstream, streamed and not, tools included", async () => {
  const completion = await openai.chat.completions.create({ model: "anthro", messages: [{ role: "system", content: "Be brief." }, ...ask], max_tokens: 4 });
  assert.equal(completion.model, "anthro");
  assert.equal(completion.choices[0]?.finish_reason, "length");
  assert.equal(completion.usage?.completion_tokens, 4);
  let text = "";
  let finish: string | null | undefined;
  for await (const chunk of await openai.chat.completions.create({ model: "anthro", messages: ask, max_tokens: 4, stream: true })) {
    text += chunk.choices[0]?.delta.content ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.ok(text.length > 0);
  assert.equal(finish, "length");
  const withTool = await openai.chat.completions.create({
    model: "anthro", messages: ask, max_tokens: 100, parallel_tool_calls: false, tool_choice: { type: "function", function: { name: "weather" } },
    tools: [{ type: "function", function: { name: "weather", parameters: weather } }],
  });
  const call = withTool.choices[0]?.message.tool_calls?.[0];
  assert.ok(call?.type === "function" && call.function.name === "weather");
  assert.ok(["Paris", "Rome"].includes((JSON.parse(call.function.arguments) as { city: string }).city));
  await assert.rejects(openai.chat.completions.create({ model: "anthro", messages: ask, max_tokens: 4, seed: 1 }),
    (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === "seed", "what the Anthropic API lacks is refused by name");
});

test("health checks take a dead replica out: requests then go straight to the live one", async () => {
  await eventually("the dead replica's health check failed", () => front.logs.some((l) => l.msg === "upstream replica health changed" && l.healthy === false && l.replica === "http://127.0.0.1:9/v1"));
  const unreachableBefore = front.logs.filter((l) => l.msg === "upstream replica unreachable; trying the next").length;
  for (let i = 0; i < 3; i++) assert.equal((await openai.chat.completions.create({ model: "probed", messages: ask, max_tokens: 2 })).choices[0]?.finish_reason, "length");
  assert.equal(front.logs.filter((l) => l.msg === "upstream replica unreachable; trying the next").length, unreachableBefore, "the heavier but dead replica is not tried");
});

test("a model whose upstream is unreachable is answered by its fallback, under the name the client asked for", async () => {
  const message = await anthropic.messages.create({ model: "flaky", max_tokens: 3, messages: ask });
  assert.equal(message.model, "flaky");
  assert.equal(message.usage.output_tokens, 3);
  let text = "";
  for await (const chunk of await openai.chat.completions.create({ model: "flaky", messages: ask, max_tokens: 3, stream: true })) text += chunk.choices[0]?.delta.content ?? "";
  assert.ok(text.length > 0);
});

test("a client that leaves mid-stream aborts the upstream request", async () => {
  const upstreamLines = () => [...replicaA.logs, ...replicaB.logs].filter((l) => l.msg === "request" && l.endpoint === "POST /v1/chat/completions");
  const seen = new Set(upstreamLines());
  const controller = new AbortController();
  const stream = await openai.chat.completions.create({ model: "fleet", messages: [{ role: "user", content: "cancel me" }], max_tokens: 4000, stream: true }, { signal: controller.signal });
  let chunks = 0;
  for await (const _ of stream) {
    if (++chunks === 3) {
      controller.abort();
      break;
    }
  }
  const left = () => upstreamLines().filter((l) => !seen.has(l) && l.status === 499);
  await eventually("the upstream saw its client (the front) leave", () => left().length > 0);
  assert.equal(left().length, 1);
});

test("a Responses-only upstream serves chat and Messages clients: text streamed and not, a forced tool call, usage", async () => {
  const completion = await openai.chat.completions.create({ model: "resp", messages: ask, max_tokens: 6 });
  assert.equal(completion.choices[0]?.finish_reason, "length");
  assert.equal(completion.usage?.completion_tokens, 6);
  assert.ok((completion.usage?.prompt_tokens ?? 0) > 0, "usage comes back from the upstream's response.completed");
  const streamed = await anthropic.messages.stream({ model: "resp", max_tokens: 6, messages: ask }).finalMessage();
  assert.equal(streamed.stop_reason, "max_tokens");
  assert.equal(streamed.usage.output_tokens, 6);
  const called = await openai.chat.completions.create({
    model: "resp", messages: ask, max_tokens: 100, parallel_tool_calls: false, tool_choice: { type: "function", function: { name: "weather" } },
    tools: [{ type: "function", function: { name: "weather", parameters: weather } }],
  });
  const call = called.choices[0]?.message.tool_calls?.[0];
  assert.equal(called.choices[0]?.finish_reason, "tool_calls");
  assert.ok(call?.type === "function" && call.function.name === "weather");
  assert.ok(["Paris", "Rome"].includes((JSON.parse(call.function.arguments) as { city: string }).city));
  await eventually("the upstream was asked through its Responses endpoint", () => replicaA.logs.some((l) => l.msg === "request" && l.endpoint === "POST /v1/responses"));
});

for (const [model, replica, endpoint] of [["gem", () => replicaA, "POST /v1beta/models/:model([^:/]+)::streamGenerateContent"], ["oll", () => replicaB, "POST /api/chat"]] as const) {
  test(`a ${model === "gem" ? "Gemini" : "Ollama"}-API upstream serves chat and Messages clients: text streamed and not, a forced tool call (refused by Ollama's), usage`, async () => {
    const completion = await openai.chat.completions.create({ model, messages: [{ role: "system", content: "Be brief." }, ...ask], max_tokens: 6 });
    assert.equal(completion.model, model);
    assert.equal(completion.choices[0]?.finish_reason, "length");
    assert.equal(completion.usage?.completion_tokens, 6);
    assert.ok((completion.usage?.prompt_tokens ?? 0) > 0, "usage comes back from the upstream's last chunk");
    const streamed = await anthropic.messages.stream({ model, max_tokens: 6, messages: ask }).finalMessage();
    assert.equal(streamed.stop_reason, "max_tokens");
    assert.equal(streamed.usage.output_tokens, 6);
    const forced = {
      model, max_tokens: 100, messages: ask, tools: [{ name: "weather", input_schema: weather as Anthropic.Tool.InputSchema }],
      tool_choice: { type: "tool", name: "weather" },
    } satisfies Anthropic.MessageCreateParamsNonStreaming;
    if (model === "oll") {
      // Ollama's API cannot force a call (LALS's own tool_choice would be ignored by a real Ollama): refused, not faked.
      await assert.rejects(anthropic.messages.create(forced), (error: unknown) => error instanceof Anthropic.BadRequestError && /Forcing a tool call/.test(error.message));
      return;
    }
    // Gemini's API has no way to ask for one call only: the random-weight model calls until max_tokens, every call whole.
    const called = await anthropic.messages.create(forced);
    const uses = called.content.filter((b) => b.type === "tool_use");
    assert.ok(uses.length >= 1 && uses.length === called.content.length, JSON.stringify(called.content));
    const first = uses[0]!;
    assert.equal(first.name, "weather");
    assert.ok(["Paris", "Rome"].includes((first.input as { city: string }).city), JSON.stringify(first.input));
    assert.ok(called.stop_reason === "tool_use" || called.stop_reason === "max_tokens", String(called.stop_reason));
    await eventually(`the upstream was asked through ${endpoint}`, () => replica().logs.some((l) => l.msg === "request" && l.endpoint === endpoint && l.status === 200));
  });
}

test("when a replica dies the other serves; when none is left the error comes in the client's shape", async () => {
  await replicaA.stop();
  for (let i = 0; i < 3; i++) {
    const message = await anthropic.messages.create({ model: "fleet", max_tokens: 2, messages: ask });
    assert.equal(message.stop_reason, "max_tokens");
  }
  await replicaB.stop();
  await assert.rejects(anthropic.messages.create({ model: "fleet", max_tokens: 2, messages: ask }), (error: unknown) => {
    assert.ok(error instanceof Anthropic.APIError);
    assert.equal(error.status, 503);
    assert.equal((error.error as { error: { type: string } }).error.type, "api_error");
    return true;
  });
  await assert.rejects(openai.chat.completions.create({ model: "fleet", messages: ask, max_tokens: 2 }), (error: unknown) => error instanceof OpenAI.APIError && error.status === 503);
  const local = await anthropic.messages.create({ model: "qwen3-0.6b", max_tokens: 2, messages: ask });
  assert.equal(local.stop_reason, "max_tokens", "the front's own model is unaffected");
});
