// Continuous batching: a request that arrives while other slots are generating starts at once, even when its slot
// first has to drop tokens an earlier conversation left there (which needs the context between two decode steps), and
// a long prompt is evaluated in chunks between the running slots' tokens rather than stalling them.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let client: OpenAI;

before(async () => {
  // Small decode steps, so that a long prompt takes many of them.
  server = await startServer({ env: { MODEL_PARALLEL: "3", MODEL_N_CTX: "8192", MAX_TOKENS_LIMIT: "8000", MODEL_BATCH_SIZE: "16" } });
  client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
});
after(async () => {
  await server.stop();
});

const ask = (content: string, maxTokens: number) =>
  client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content }], max_tokens: maxTokens });

interface LongStream {
  /** Resolves at the first content. */
  started: Promise<void>;
  /** Resolves when the stream stops. */
  ended: Promise<void>;
  running: boolean;
  /** Content chunks received so far. */
  chunks: number;
}

async function longStream(content: string, signal: AbortSignal): Promise<LongStream> {
  const stream = await client.chat.completions.create(
    { model: MODEL, messages: [{ role: "user", content }], max_tokens: 6000, stream: true }, { signal });
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => { markStarted = resolve; });
  const result: LongStream = { started, ended: Promise.resolve(), running: true, chunks: 0 };
  result.ended = (async () => {
    try {
      for await (const chunk of stream) {
        if (!chunk.choices[0]?.delta.content) continue;
        result.chunks++;
        markStarted();
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      result.running = false;
    }
  })();
  return result;
}

test("a request joining two running generations is answered while they still run, on a slot that held another conversation", async () => {
  // Every slot holds an earlier conversation, so whichever slot the newcomer gets has tokens to drop first.
  await Promise.all([ask("first filler conversation", 4), ask("second filler conversation", 4), ask("third filler conversation", 4)]);

  const abort = new AbortController();
  try {
    const running = await Promise.all([longStream("a long story about ships", abort.signal), longStream("a long story about trains", abort.signal)]);
    await Promise.all(running.map((r) => r.started));

    const reply = await ask("a newcomer with a question of its own", 4);
    assert.deepEqual(running.map((r) => r.running), [true, true], "both long generations were still running when the newcomer was answered");
    assert.equal(reply.choices[0]?.finish_reason, "length");
    // An empty slot would share no tokens with the newcomer; this one shares the chat template's opening with a filler.
    assert.ok(reply.usage!.prompt_tokens_details!.cached_tokens! > 0, "the newcomer's slot held another conversation");
    abort.abort();
    await Promise.all(running.map((r) => r.ended));
  } finally {
    abort.abort();
  }
});

test("a running stream keeps receiving tokens while a long prompt is evaluated beside it", async () => {
  const abort = new AbortController();
  try {
    const running = await longStream("a long story about rivers", abort.signal);
    await running.started;
    // ~3,000 tokens: some two hundred decode steps of 16 tokens.
    const document = Array.from({ length: 75 }, (_, i) => `paragraph ${i} of a document about lighthouses`).join("\n");
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: document }], max_tokens: 2, stream: true });
    const before = running.chunks;
    let during: number | undefined;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) during ??= running.chunks - before;
    }
    assert.ok(during !== undefined && during >= 20, `the running stream got ${during} tokens while the long prompt was evaluated`);
    assert.ok(running.running);
  } finally {
    abort.abort();
  }
});
