// SIGTERM: new connections are refused, in-flight requests get SHUTDOWN_TIMEOUT to finish, those still generating
// then end with an error in their protocol's shape, and the process exits 0.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { startServer } from "./harness.js";

const MODEL = "qwen3-0.6b";

test("in-flight streams end with an error event at the deadline; a short request finishes; exit 0", async () => {
  const server = await startServer({ env: { SHUTDOWN_TIMEOUT: "1", MODEL_PARALLEL: "3", MODEL_N_CTX: "32768", MAX_TOKENS_LIMIT: "30000" } });
  const post = (path: string, body: unknown) => fetch(`${server.baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  const anthropic = await post("/v1/messages", { model: MODEL, max_tokens: 30000, stream: true, messages: [{ role: "user", content: "long" }] });
  const openai = await post("/v1/chat/completions", { model: MODEL, max_tokens: 30000, stream: true, messages: [{ role: "user", content: "long" }] });
  const short = post("/v1/chat/completions", { model: MODEL, max_tokens: 200, messages: [{ role: "user", content: "short" }] });
  await sleep(100);
  server.process.kill("SIGTERM");

  const [anthropicBody, openaiBody, shortResponse] = await Promise.all([anthropic.text(), openai.text(), short]);
  const lastAnthropic = anthropicBody.trimEnd().split("\n\n").at(-1)!;
  assert.match(lastAnthropic, /^event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"The server is shutting down; retry shortly."\}/);
  const lastOpenai = openaiBody.trimEnd().split("\n\n").at(-1)!;
  assert.match(lastOpenai, /^data: \{"error":\{"message":"The server is shutting down; retry shortly.","type":"server_error"/);
  assert.equal(shortResponse.status, 200, "a request that fits in the grace period completes");
  assert.equal(((await shortResponse.json()) as { choices: Array<{ finish_reason: string }> }).choices[0]?.finish_reason, "length");

  // A new connection is refused; one kept alive from before gets fastify's 503 while closing.
  const late = await fetch(`${server.baseUrl}/v1/models`).catch(() => undefined);
  assert.ok(late === undefined || late.status === 503, `refused once closing, got ${late?.status}`);
  const code = server.process.exitCode ?? await new Promise<number | null>((resolve) => server.process.once("exit", resolve));
  assert.equal(code, 0);
  assert.ok(server.logs.some((l) => l.msg === "shutting down"));
});
