// With one slot and no queue, a request can only run once the slot is back: proof that aborts free it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { eventually, startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let client: OpenAI;

before(async () => {
  server = await startServer({ env: { MODEL_PARALLEL: "1", MAX_QUEUE: "1", MODEL_N_CTX: "32768", MAX_TOKENS_LIMIT: "32000" } });
  client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
});
after(async () => {
  await server.stop();
});

const long = (signal: AbortSignal) => client.chat.completions.create(
  { model: MODEL, messages: [{ role: "user", content: "a very long answer" }], max_tokens: 30000, stream: true },
  { signal },
);
const short = () => client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "short" }], max_tokens: 2 });

/** A gauge of the server's /metrics. */
async function gauge(name: string): Promise<number> {
  const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)$`, "m").exec(metrics)?.[1] ?? NaN);
}

test("a full queue answers at once (429 to OpenAI clients, 529 to Anthropic ones), and an aborted stream frees its slot for the next request", async () => {
  const first = new AbortController();
  const stream = await long(first.signal);
  const iterator = stream[Symbol.asyncIterator]();
  await iterator.next();
  await iterator.next();

  // The slot is busy and one waiter fills the queue: the next request is refused, not hung.

  const queued = short();
  void queued.catch(() => undefined);
  const queuedWithSignal = client.chat.completions.create(
    { model: MODEL, messages: [{ role: "user", content: "queued" }], max_tokens: 2 });
  void queuedWithSignal.catch(() => undefined);
  await assert.rejects(queuedWithSignal, (error: unknown) => {
    assert.ok(error instanceof OpenAI.RateLimitError, `expected 429, got ${String(error)}`);
    assert.equal((error.error as { code?: string }).code, "overloaded");
    assert.equal(error.headers?.get("retry-after"), "1");
    return true;
  });
  const anthropic = new Anthropic({ baseURL: server.baseUrl, apiKey: "unused", maxRetries: 0 });
  await assert.rejects(anthropic.messages.create({ model: MODEL, max_tokens: 2, messages: [{ role: "user", content: "queued" }] }), (error: unknown) => {
    assert.ok(error instanceof Anthropic.APIError, `expected an API error, got ${String(error)}`);
    assert.equal(error.status, 529);
    assert.equal((error.error as { error?: { type?: string } }).error?.type, "overloaded_error");
    assert.equal(error.headers?.get("retry-after"), "1");
    return true;
  });

  first.abort();
  const afterAbort = await queued;
  assert.equal(afterAbort.choices[0]?.finish_reason, "length");
  await eventually("the slot is free", async () => (await gauge("lals_slots_busy")) === 0);
  assert.equal((await short()).choices[0]?.finish_reason, "length");
});

test("a client that leaves while queued gives up its place in line", async () => {
  const first = new AbortController();
  const stream = await long(first.signal);
  const iterator = stream[Symbol.asyncIterator]();
  await iterator.next();

  const leaving = new AbortController();
  const queued = client.chat.completions.create(
    { model: MODEL, messages: [{ role: "user", content: "leaving" }], max_tokens: 2 }, { signal: leaving.signal });
  void queued.catch(() => undefined);
  await eventually("the request waits in line", async () => (await gauge("lals_queue_depth")) === 1);
  leaving.abort();
  await assert.rejects(queued);

  // Its place is free again once the server has seen it go: this one then waits in line instead of being
  // refused (a place never freed makes it a 429), and runs once the stream ends.
  await eventually("the place in line is given up", async () => (await gauge("lals_queue_depth")) === 0);
  const next = short();
  await eventually("the next request waits in line", async () => (await gauge("lals_queue_depth")) === 1);
  first.abort();
  assert.equal((await next).choices[0]?.finish_reason, "length");
});
