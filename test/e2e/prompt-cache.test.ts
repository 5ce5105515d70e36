// A conversation evicted from the only slot comes back from the prompt cache: read from a file, not token by token,
// with the same reply it got the first time, and only for the API key it belongs to.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startServer, type RunningServer } from "./harness.js";

let server: RunningServer;
let cacheDir: string;

let abandoned: string;
let othersHost: string;

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

before(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), "lals-prompt-cache-test-"));
  // What a LALS killed before it could clean up leaves behind.
  const pid = await deadPid();
  abandoned = join(cacheDir, `lals-prompts-${hostname()}-${pid}-a1B2c3`);
  othersHost = join(cacheDir, `lals-prompts-another-host-${pid}-a1B2c3`); // a live LALS elsewhere, sharing the directory
  for (const dir of [abandoned, othersHost]) {
    await mkdir(dir);
    await writeFile(join(dir, "1.state"), "stale");
  }
  // One slot: every new conversation evicts the last one.
  server = await startServer({ env: { MODEL_PARALLEL: "1", API_KEYS: "key-a,key-b", MODEL_PROMPT_CACHE_DIR: cacheDir, LOG_LEVEL: "debug" } });
});
after(async () => {
  await server.stop();
  await rm(cacheDir, { recursive: true, force: true });
});

const conversation = (topic: string) => [
  { role: "system", content: `You are an expert on ${topic}. `.repeat(60) },
  { role: "user", content: `Tell me about ${topic}.` },
];

async function ask(key: string, topic: string, followUp: Array<{ role: string; content: string }> = []): Promise<{ prompt: number; cached: number; content: string }> {
  const reply = await fetch(`${server.baseUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    // Sampled with a fixed seed: the reply depends on every logit, so a state read back wrong would change it.
    body: JSON.stringify({ model: "qwen3-0.6b", temperature: 1, seed: 7, max_tokens: 24, messages: [...conversation(topic), ...followUp] }),
  });
  assert.equal(reply.status, 200);
  const body = (await reply.json()) as { usage: { prompt_tokens: number; prompt_tokens_details?: { cached_tokens?: number } }; choices: Array<{ message: { content: string } }> };
  return { prompt: body.usage.prompt_tokens, cached: body.usage.prompt_tokens_details?.cached_tokens ?? 0, content: body.choices[0]!.message.content };
}

const stateFiles = async (): Promise<string[]> => {
  const dirs = await readdir(cacheDir);
  const files = await Promise.all(dirs.map(async (d) => (await readdir(join(cacheDir, d))).map((f) => join(d, f))));
  return files.flat();
};

test("an evicted conversation is loaded back with the same reply, for its own key only", async () => {
  const first = await ask("key-a", "lighthouses");
  assert.ok(first.prompt > 600, `the prompt is ${first.prompt} tokens`);
  assert.equal(first.cached, 0);

  const other = await ask("key-a", "glaciers"); // takes the slot: the lighthouse conversation is saved first
  assert.equal(other.cached < 100, true, `glaciers read ${other.cached} tokens from cache`);
  assert.equal(existsSync(abandoned), false, "a dead process's directory is removed");
  assert.equal(existsSync(othersHost), true, "another host's is left alone");
  await rm(othersHost, { recursive: true });
  assert.equal((await stateFiles()).length, 1);

  const again = await ask("key-a", "lighthouses");
  assert.ok(again.cached >= first.prompt - 1, `${again.cached} of ${again.prompt} prompt tokens came from the cache`);
  assert.equal(again.content, first.content, "the state read back gives the reply the prompt gave when read token by token");
  assert.ok(server.logs.some((l) => l.msg === "prompt loaded from the prompt cache"));
  assert.equal((await stateFiles()).length, 2, "the glacier conversation was saved when the lighthouse one came back");

  // The same conversation going on keeps its slot: nothing is saved for the few tokens it drops.
  const next = await ask("key-a", "lighthouses", [{ role: "assistant", content: again.content }, { role: "user", content: "And then?" }]);
  assert.ok(next.cached >= again.prompt - 32, `${next.cached} of ${next.prompt} tokens reused`);
  assert.equal((await stateFiles()).length, 2);

  const metrics = await (await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: "Bearer key-a" } })).text();
  assert.match(metrics, /lals_prompt_cache_saves_total\{model="qwen3-0\.6b"\} 2\n/);
  assert.match(metrics, /lals_prompt_cache_loads_total\{model="qwen3-0\.6b"\} 1\n/);
  const bytes = Number(/lals_prompt_cache_bytes\{model="qwen3-0\.6b"\} (\d+)/.exec(metrics)?.[1]);
  const onDisk = (await Promise.all((await stateFiles()).map((f) => stat(join(cacheDir, f))))).reduce((sum, s) => sum + s.size, 0);
  assert.equal(bytes, onDisk, "the metric counts the files the cache holds");

  const stranger = await ask("key-b", "glaciers"); // key A's saved glacier conversation is not key B's
  assert.ok(stranger.cached < 100, `key B read ${stranger.cached} tokens of key A's conversation`);
});

test("the cache's files are removed when the server stops", async () => {
  assert.ok((await stateFiles()).length > 0);
  assert.equal(await server.stop(), 0);
  assert.deepEqual(await readdir(cacheDir), []);
});

test("a cache directory that cannot be used costs a warning, not a request", async () => {
  const notADirectory = join(cacheDir, "a-file");
  await writeFile(notADirectory, "");
  const broken = await startServer({ env: { MODEL_PARALLEL: "1", MODEL_PROMPT_CACHE_DIR: join(notADirectory, "prompts") } });
  try {
    for (const topic of ["lighthouses", "glaciers", "lighthouses"]) {
      const reply = await fetch(`${broken.baseUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "qwen3-0.6b", max_tokens: 4, messages: conversation(topic) }),
      });
      assert.equal(reply.status, 200);
    }
    assert.equal(broken.logs.filter((l) => l.msg === "could not save a prompt before reusing its slot").length, 1);
  } finally {
    assert.equal(await broken.stop(), 0);
  }
});
