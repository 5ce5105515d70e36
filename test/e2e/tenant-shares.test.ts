// One key's long streams cannot hold every slot: past its share (MAX_CONCURRENT_PER_KEY, `auto` = MODEL_PARALLEL − 1
// with keys) its next request waits for one of its own, and another key's request takes the slot left free.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startServer, type RunningServer } from "./harness.js";

let server: RunningServer;

before(async () => {
  // The default fixture never ends a reply: its streams run until max_tokens. A short queue timeout turns "waited
  // behind another key's streams" into a 429 the test can see.
  server = await startServer({ env: { MODEL_PARALLEL: "2", MODEL_N_CTX: "4096", API_KEYS: "key-a,key-b", QUEUE_TIMEOUT: "3" } });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const chat = (key: string, maxTokens: number, signal?: AbortSignal) => fetch(`${server.baseUrl}/v1/chat/completions`, {
  method: "POST",
  headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
  body: JSON.stringify({ model: "qwen3-0.6b", max_tokens: maxTokens, stream: true, messages: [{ role: "user", content: "Go on" }] }),
  ...(signal === undefined ? {} : { signal }),
});

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: "Bearer key-a" } })).text();
  return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
}

test("a key running long streams leaves a slot to another key, whose request is served at once", async () => {
  const leave = new AbortController();
  // Key A opens three long streams; it may run one at a time beside other keys (two slots, share 1).
  const streams = [chat("key-a", 3500, leave.signal), chat("key-a", 3500, leave.signal), chat("key-a", 3500, leave.signal)];
  try {
    const first = await Promise.race(streams);
    assert.equal(first.status, 200);
    assert.equal(await metric("lals_slots_busy"), 1, "key A holds one slot, not both");
    const other = await chat("key-b", 8);
    assert.equal(other.status, 200, "key B is not queued behind key A's streams");
    const text = await other.text();
    assert.match(text, /"finish_reason":"length"/);
  } finally {
    leave.abort();
    await Promise.allSettled(streams);
  }
});
