// A client that leaves while its long prompt is still being read frees the slot after the batch in flight, not after
// the whole prompt: node-llama-cpp reads a prompt in batches and would otherwise read every one of them first.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { startServer, type RunningServer } from "./harness.js";

let server: RunningServer;

before(async () => {
  // A ~12,000-token prompt: read in some two dozen batches of 512 tokens.
  server = await startServer({ env: { MODEL_PARALLEL: "1", MODEL_N_CTX: "16384" } });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

/** A prompt of `words` words, all starting with `letter`: prompts with different letters share no prefix to reuse. */
const body = (letter: string, words: number, extra: Record<string, unknown> = {}) => JSON.stringify({
  model: "qwen3-0.6b", max_tokens: 2, messages: [{ role: "user", content: Array.from({ length: words }, (_, i) => `${letter}${i}`).join(" ") }], ...extra,
});
const post = (payload: string, signal?: AbortSignal) => fetch(`${server.baseUrl}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: payload, ...(signal === undefined ? {} : { signal }) });

async function busySlots(): Promise<number> {
  return Number(/^lals_slots_busy (\d+)/m.exec(await (await fetch(`${server.baseUrl}/metrics`)).text())?.[1]);
}

test("leaving mid-prompt frees the slot long before the prompt would have been read, and the slot serves the next prompt", async () => {
  // How long reading a whole prompt takes here.
  let started = performance.now();
  const whole = await post(body("a", 2500));
  assert.equal(whole.status, 200);
  await whole.text();
  const readMs = performance.now() - started;

  const controller = new AbortController();
  const stream = await post(body("b", 2500, { stream: true }), controller.signal);
  assert.equal(stream.status, 200);
  const reader = stream.body!.getReader();
  await reader.read(); // the first chunk goes out before the prompt is read
  await sleep(readMs / 5); // well into reading it
  assert.equal(await busySlots(), 1);
  started = performance.now();
  controller.abort();
  while ((await busySlots()) !== 0) await sleep(5);
  const freedMs = performance.now() - started;
  process.stdout.write(`# read ${readMs.toFixed(0)} ms, freed ${freedMs.toFixed(0)} ms\n`);
  assert.ok(freedMs < readMs / 3, `slot freed ${freedMs.toFixed(0)} ms after the client left; reading the prompt takes ${readMs.toFixed(0)} ms`);

  // The half-read prompt left nothing behind that breaks the next one on the same slot, even one sharing its start.
  const next = await post(body("b", 2500));
  assert.equal(next.status, 200, await next.clone().text());
  const usage = ((await next.json()) as { usage: { prompt_tokens_details?: { cached_tokens?: number } } }).usage;
  assert.equal(usage.prompt_tokens_details?.cached_tokens ?? 0, 0, "the slot was cleared, not trusted");
});
