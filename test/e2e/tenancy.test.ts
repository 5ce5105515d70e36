// Two API keys share one server but nothing else: neither the response cache nor a slot's cached prefix crosses keys.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startServer, type RunningServer } from "./harness.js";

let server: RunningServer;

before(async () => {
  // One slot, so both keys' requests land on the same sequence.
  server = await startServer({ env: { MODEL_PARALLEL: "1", API_KEYS: "key-a,key-b", ENABLE_CACHING: "true" } });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

async function ask(key: string, seed: number): Promise<{ cache: string | null; cached: number; content: string }> {
  const reply = await fetch(`${server.baseUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: "qwen3-0.6b", seed, max_tokens: 8, messages: [{ role: "system", content: "A long shared system prompt. ".repeat(20) }, { role: "user", content: "Same question" }] }),
  });
  assert.equal(reply.status, 200);
  const body = (await reply.json()) as { usage: { prompt_tokens_details?: { cached_tokens?: number } }; choices: Array<{ message: { content: string } }> };
  return { cache: reply.headers.get("x-lals-cache"), cached: body.usage.prompt_tokens_details?.cached_tokens ?? 0, content: body.choices[0]!.message.content };
}

test("a key reuses its own cached reply and prefix; another key gets neither, nor learns of them", async () => {
  const first = await ask("key-a", 1);
  assert.equal(first.cache, "miss");
  const again = await ask("key-a", 1);
  assert.equal(again.cache, "hit");
  assert.equal(again.content, first.content);

  const prefixOnly = await ask("key-a", 2); // another seed: generated, on the slot holding key A's prompt
  assert.equal(prefixOnly.cache, "miss");
  assert.ok(prefixOnly.cached > 100, `key A read ${prefixOnly.cached} prompt tokens from its slot`);

  const other = await ask("key-b", 1);
  assert.equal(other.cache, "miss", "key B is not served key A's cached reply");
  assert.equal(other.cached, 0, "nor told how much of its prompt key A's slot holds");
  assert.equal(other.content, first.content, "the same seed still gives the same text: only the caches are apart");
});
