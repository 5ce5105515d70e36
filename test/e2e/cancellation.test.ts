// With one slot and no queue, a request can only run once the slot is back: proof that aborts free it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startServer, type RunningServer } from "./harness.js";

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

/** Retries `short` a bounded number of times while the server reports the slot busy. */
async function shortOnceFree(): Promise<OpenAI.ChatCompletion> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await short();
    } catch (error) {
      if (!(error instanceof OpenAI.RateLimitError) || attempt >= 20) throw error;
      await sleep(50);
    }
  }
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
  assert.equal((await shortOnceFree()).choices[0]?.finish_reason, "length");
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
  await sleep(100);
  leaving.abort();
  await assert.rejects(queued);

  // Its place is free again once the server has seen it go: this one then waits in line instead of being
  // refused, and runs once the stream ends. The stream outlives the whole retry window, so a place never
  // freed makes every retry a 429 and the test fail.
  const next = shortOnceFree();
  await sleep(1500);
  first.abort();
  assert.equal((await next).choices[0]?.finish_reason, "length");
});
