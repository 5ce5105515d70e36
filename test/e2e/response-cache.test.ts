// ENABLE_CACHING: deterministic requests are answered once and replayed, in either protocol, streamed or not.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startServer, type RunningServer } from "./harness.js";

let server: RunningServer;

before(async () => {
  server = await startServer({ env: { ENABLE_CACHING: "true" } });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const post = (path: string, body: unknown) => fetch(`${server.baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const messages = [{ role: "user", content: "Cache me" }];

test("a greedy request is a miss, then a hit with the same reply, also for the other protocol and for streams", async () => {
  const first = await post("/v1/chat/completions", { model: "qwen3-0.6b", messages, max_tokens: 8, temperature: 0 });
  assert.equal(first.headers.get("x-lals-cache"), "miss");
  const text = ((await first.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content;

  const second = await post("/v1/chat/completions", { model: "qwen3-0.6b", messages, max_tokens: 8, temperature: 0, user: "someone" });
  assert.equal(second.headers.get("x-lals-cache"), "hit");
  assert.equal(((await second.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content, text);

  const anthropic = await post("/v1/messages", { model: "qwen3-0.6b", messages, max_tokens: 8, temperature: 0 });
  assert.equal(anthropic.headers.get("x-lals-cache"), "hit", "one entry serves both protocols");
  assert.equal(((await anthropic.json()) as { content: Array<{ text: string }> }).content[0]!.text, text);

  const stream = await post("/v1/messages", { model: "qwen3-0.6b", messages, max_tokens: 8, temperature: 0, stream: true });
  assert.equal(stream.headers.get("x-lals-cache"), "hit");
  const streamed = (await stream.text()).split("\n\n").filter((f) => f.includes('"text_delta"'))
    .map((f) => (JSON.parse(f.split("\ndata: ")[1]!) as { delta: { text: string } }).delta.text).join("");
  assert.equal(streamed, text, "a streamed replay carries the same text");
});

test("seeded requests are cached per seed; sampled ones are never cached", async () => {
  const seeded = (seed: number) => post("/v1/chat/completions", { model: "qwen3-0.6b", messages, max_tokens: 6, temperature: 1, seed });
  assert.equal((await seeded(7)).headers.get("x-lals-cache"), "miss");
  assert.equal((await seeded(7)).headers.get("x-lals-cache"), "hit");
  assert.equal((await seeded(8)).headers.get("x-lals-cache"), "miss");
  const sampled = await post("/v1/chat/completions", { model: "qwen3-0.6b", messages, max_tokens: 6, temperature: 1 });
  assert.equal(sampled.headers.get("x-lals-cache"), null);
  const failing = await post("/v1/chat/completions", { model: "nope", messages, max_tokens: 6, temperature: 0 });
  assert.equal(failing.status, 404);
});

test("hits show in the request log and in /metrics", async () => {
  assert.ok(server.logs.some((l) => l.msg === "request" && l.cache === "hit"));
  assert.match(await (await fetch(`${server.baseUrl}/metrics`)).text(), /lals_cache_hits_total [1-9]/);
});
