// One JSON log line per request, and Prometheus metrics, from a real server.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eventually, startServer, type RunningServer } from "./harness.js";

let server: RunningServer;

before(async () => {
  server = await startServer({ env: { MODEL_PARALLEL: "2" } });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const SECRET_PROMPT = "my-very-private-prompt-text";

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

test("each request logs one JSON line with id, protocol, endpoint, model, status, tokens, TTFT and duration; never the prompt", async () => {
  const openai = await post("/v1/chat/completions", { model: "qwen3-0.6b", messages: [{ role: "user", content: SECRET_PROMPT }], max_tokens: 5 }, { "x-request-id": "obs-openai" });
  await openai.text();
  const anthropic = await post("/v1/messages", { model: "qwen3-0.6b", max_tokens: 4, stream: true, messages: [{ role: "user", content: SECRET_PROMPT }] }, { "x-request-id": "obs-anthropic" });
  await anthropic.text();
  await (await post("/v1/messages", { model: "nope", max_tokens: 4, messages: [] }, { "x-request-id": "obs-bad" })).text();

  const lines = (id: string) => server.logs.filter((l) => l.reqId === id && l.msg === "request");
  await eventually("all three requests are logged", () => ["obs-openai", "obs-anthropic", "obs-bad"].every((id) => lines(id).length > 0));
  const [openaiLine] = lines("obs-openai");
  assert.equal(lines("obs-openai").length, 1, "exactly one line per request");
  assert.deepEqual(
    { ...openaiLine, time: undefined, pid: undefined, hostname: undefined, ttftMs: typeof openaiLine?.ttftMs, durationMs: typeof openaiLine?.durationMs },
    { level: 30, reqId: "obs-openai", msg: "request", protocol: "openai", endpoint: "POST /v1/chat/completions", model: "qwen3-0.6b", status: 200,
      inputTokens: openaiLine?.inputTokens, cachedTokens: openaiLine?.cachedTokens, outputTokens: 5, ttftMs: "number", durationMs: "number", time: undefined, pid: undefined, hostname: undefined },
  );
  assert.ok((openaiLine?.inputTokens as number) > 0);
  assert.equal(typeof openaiLine?.cachedTokens, "number");
  const [anthropicLine] = lines("obs-anthropic");
  assert.equal(anthropicLine?.protocol, "anthropic");
  assert.equal(anthropicLine?.outputTokens, 4);
  assert.equal(lines("obs-bad")[0]?.status, 400);
  assert.ok(!JSON.stringify(server.logs).includes(SECRET_PROMPT), "the prompt is not logged at info level");
});

test("a client that leaves mid-stream is still logged and counted, with status 499", async () => {
  const controller = new AbortController();
  const response = await fetch(`${server.baseUrl}/v1/chat/completions`, {
    method: "POST", headers: { "content-type": "application/json", "x-request-id": "obs-left" }, signal: controller.signal,
    body: JSON.stringify({ model: "qwen3-0.6b", messages: [{ role: "user", content: "long" }], max_tokens: 1000, stream: true }),
  });
  const reader = response.body!.getReader();
  await reader.read();
  controller.abort();
  await eventually("the abandoned request is logged", () => server.logs.some((l) => l.reqId === "obs-left" && l.msg === "request"));
  const line = server.logs.find((l) => l.reqId === "obs-left" && l.msg === "request");
  assert.equal(line?.status, 499);
  assert.match(await (await fetch(`${server.baseUrl}/metrics`)).text(), /lals_requests_total\{protocol="openai",endpoint="\/v1\/chat\/completions",status="499"\} 1/);
});

test("with no API keys, start-up says LALS is reachable from this machine only", () => {
  assert.ok(server.logs.some((l) => l.msg === "no API keys configured: only this machine can reach LALS (HOST is loopback)"));
});

test("GET /metrics exposes requests, tokens, TTFT and duration histograms, slots and queue depth", async () => {
  const response = await fetch(`${server.baseUrl}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
  const text = await response.text();
  assert.match(text, /lals_requests_total\{protocol="openai",endpoint="\/v1\/chat\/completions",status="200"\} [1-9]/);
  assert.match(text, /lals_requests_total\{protocol="anthropic",endpoint="\/v1\/messages",status="400"\} 1/);
  assert.match(text, /lals_tokens_total\{protocol="openai",direction="output"\} [1-9]/);
  assert.match(text, /lals_time_to_first_token_seconds_count\{protocol="anthropic",endpoint="\/v1\/messages"\} 1/);
  assert.match(text, /lals_request_duration_seconds_bucket/);
  assert.match(text, /lals_slots_total 2/);
  assert.match(text, /lals_slots_busy 0/);
  assert.match(text, /lals_queue_depth 0/);
});
