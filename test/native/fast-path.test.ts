// The local build's fast path (npm run build:native first; CI builds it): LALS loads it and says so, a context keeps
// one pool of llama.cpp threads rather than making new ones for each decode, and a generated token costs one native
// call (decodeBatchAndSample) rather than a decode and then a sampleToken.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { getLlama, LlamaCompletion, type LlamaContext } from "node-llama-cpp";
import { hasLocalBuild } from "../../src/engines/llama/llama-binding.js";
import { fixtureModel, startServer, type RunningServer } from "../e2e/harness.js";

let server: RunningServer;

before(async () => {
  assert.ok(hasLocalBuild(), "no local build: run npm run build:native first");
  server = await startServer({ env: { MODEL_N_THREADS: "2", MODEL_PARALLEL: "1", MODEL_BINARY: process.env.MODEL_BINARY ?? "local" } });
});
after(async () => {
  await server.stop();
});

test("the server loads the local build and says so", () => {
  const line = server.logs.find((l) => l.msg === "llama.cpp binding: the local build with LALS's native fast path");
  assert.ok(line !== undefined, JSON.stringify(server.logs.filter((l) => String(l.msg).includes("binding"))));
  assert.equal(line.binding, "local build");
  assert.equal(line.threadPoll, 50);
});

/** The last process or thread id the kernel handed out, machine-wide (/proc/loadavg's last field). */
const lastPid = (): number => Number(readFileSync("/proc/loadavg", "utf8").trim().split("/").at(-1)!.split(" ").at(-1));

test("decoding on two threads keeps one pool of threads: no thread is made per decode", async () => {
  const generate = async (): Promise<number> => {
    const reply = await fetch(`${server.baseUrl}/v1/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "qwen3-0.6b", prompt: "Once upon a time", max_tokens: 400, temperature: 0 }),
    });
    return ((await reply.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens;
  };
  await generate(); // the pool's threads exist once the first decode ran
  const before = lastPid();
  assert.equal(await generate(), 400);
  // Without a pool, ggml starts (and joins) a thread for the second core in each of the 400 decodes, each a new id.
  const made = lastPid() - before;
  assert.ok(made < 100, `${made} processes or threads were made on this machine during 400 decodes`);
});

test("each generated token is decoded and sampled in one native call", async () => {
  const llama = await getLlama("lastBuild", { progressLogs: false });
  const model = await llama.loadModel({ modelPath: await fixtureModel() });
  const context = await model.createContext({ contextSize: 512, threads: 1 });
  const calls = { decodeBatch: 0, decodeBatchAndSample: 0, sampleToken: 0 };
  const native = Reflect.get(context as LlamaContext, "_ctx") as Record<keyof typeof calls, (...args: unknown[]) => unknown>;
  for (const name of Object.keys(calls) as Array<keyof typeof calls>) {
    const original = native[name]!.bind(native);
    // The addon's methods are read-only on its prototype: an own property shadows them.
    Object.defineProperty(native, name, {
      value: (...args: unknown[]) => {
        calls[name]++;
        return original(...args);
      },
    });
  }
  try {
    const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
    const text = await completion.generateCompletion("Once upon a time", { maxTokens: 32, temperature: 0 });
    assert.ok(text.length > 0);
    assert.equal(calls.sampleToken, 0, JSON.stringify(calls));
    assert.ok(calls.decodeBatchAndSample >= 31, JSON.stringify(calls));
  } finally {
    await context.dispose();
    await model.dispose();
  }
});
