// What bounds the on-demand models a client can make LALS load: a model just loaded stays for MODEL_MIN_RESIDENCY
// (a request for another waits, and gets its answer, rather than making the two swap on every request), and the
// prompt-cache files a killed LALS left are removed as a model loads, not at some later save.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { FINISHING_REPLY } from "../../src/fixture/finishing-reply.js";
import { eventually, fixtureModel, startServer, type RunningServer } from "./harness.js";

const dir = mkdtempSync(join(tmpdir(), "lals-on-demand-bounds-"));

async function modelsFile(): Promise<string> {
  const finishing = await fixtureModel("finishing");
  const path = join(dir, `models-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ models: [
    { id: "a", path: finishing, contextSize: 2048, parallel: 1 },
    { id: "b", path: finishing, contextSize: 2048, parallel: 1 },
  ] }));
  return path;
}

// The default fixture needs ~5 MiB, each of a and b ~102 MiB (node-llama-cpp's estimate): room for one, not two.
const ONE_AT_A_TIME = "160";

interface Reply { status: number; content: string | undefined; error: string | undefined; retryAfter: string | null }

async function chat(server: RunningServer, model: string): Promise<Reply> {
  const response = await fetch(`${server.baseUrl}/v1/chat/completions`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, max_tokens: 32, messages: [{ role: "user", content: "Hi" }] }),
  });
  const body = (await response.json()) as { choices?: Array<{ message: { content: string } }>; error?: { message: string } };
  return { status: response.status, content: body.choices?.[0]?.message.content, error: body.error?.message, retryAfter: response.headers.get("retry-after") };
}

const loads = (server: RunningServer, model?: string): number =>
  server.logs.filter((l) => l.msg === "model loaded on demand" && (model === undefined || l.model === model)).length;
const unloads = (server: RunningServer, model: string): number => server.logs.filter((l) => l.msg === "model unloaded" && l.model === model).length;

async function served(server: RunningServer): Promise<Map<string, { loaded: boolean; queued: number }>> {
  const { served: models } = (await (await fetch(`${server.baseUrl}/`)).json()) as { served: Array<{ id: string; loaded: boolean; queued: number }> };
  return new Map(models.map((m) => [m.id, m]));
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

/** A prompt-cache directory as a LALS on this host killed before it could clean up leaves it, with a state file. */
async function leftover(cacheDir: string, pid: number): Promise<string> {
  const path = join(cacheDir, `lals-prompts-${hostname()}-${pid}-t${Date.now().toString(36)}-a1B2c3`);
  await mkdir(path, { recursive: true });
  await writeFile(join(path, "1.state"), "stale state");
  return path;
}

const promptCacheSaves = async (server: RunningServer): Promise<number> => {
  const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
  return [...metrics.matchAll(/^lals_prompt_cache_saves_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
};

describe("two on-demand models in a memory limit that holds one", () => {
  const RESIDENCY_S = 5;
  const cacheDir = join(dir, "prompts");
  let server: RunningServer;
  let leftAtStart: string;
  before(async () => {
    leftAtStart = await leftover(cacheDir, await deadPid());
    server = await startServer({
      env: { MODEL_MEMORY_LIMIT: ONE_AT_A_TIME, MODEL_MIN_RESIDENCY: String(RESIDENCY_S), MODEL_PROMPT_CACHE_DIR: cacheDir, LALS_CONFIG: await modelsFile() },
    });
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  test("a killed server's prompt-cache files are gone once a model has loaded, before anything was saved", async () => {
    // startServer returns once the default model is loaded.
    assert.equal(existsSync(leftAtStart), false, "removed as the default model loaded");
    const leftLater = await leftover(cacheDir, await deadPid());
    assert.equal((await chat(server, "a")).content, FINISHING_REPLY);
    assert.equal(loads(server, "a"), 1);
    assert.equal(existsSync(leftLater), false, "removed as the on-demand model loaded");
    assert.equal(await promptCacheSaves(server), 0, "no save did it");
  });

  test("a request for the other model waits while the first is within its residency, then gets its answer", async () => {
    const waiting = chat(server, "b");
    await eventually("b's request waits", async () => (await served(server)).get("b")?.queued === 1);
    const models = await served(server);
    assert.equal(models.get("a")?.loaded, true, "a is not unloaded for b within its residency");
    assert.equal(unloads(server, "a"), 0);
    assert.equal((await chat(server, "a")).content, FINISHING_REPLY, "a serves meanwhile");
    const reply = await waiting;
    assert.equal(reply.status, 200, reply.error);
    assert.equal(reply.content, FINISHING_REPLY);
    assert.deepEqual([unloads(server, "a"), loads(server, "b")], [1, 1]);
  });

  test("requests alternating between the two, from two clients at once, all get their answer with a few loads, not one per request", async () => {
    const before = loads(server);
    const ROUNDS = 6;
    const client = async (model: string): Promise<Reply[]> => {
      const replies: Reply[] = [];
      for (let i = 0; i < ROUNDS; i++) replies.push(await chat(server, model));
      return replies;
    };
    const burst = Array.from({ length: ROUNDS }, (_, i) => chat(server, i % 2 === 0 ? "a" : "b"));
    const replies = [...await Promise.all(burst), ...(await Promise.all([client("a"), client("b")])).flat()];
    assert.deepEqual(replies.map((r) => r.status), replies.map(() => 200), JSON.stringify(replies.filter((r) => r.status !== 200)));
    assert.ok(replies.every((r) => r.content === FINISHING_REPLY));
    const swaps = loads(server) - before;
    // Swapping on every change of model would be about 3 * ROUNDS loads; each residency serves every request waiting for its model.
    assert.ok(swaps <= 4, `${swaps} loads for ${replies.length} requests alternating between two models`);
  });
});

describe("a residency longer than QUEUE_TIMEOUT", () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ env: { MODEL_MEMORY_LIMIT: ONE_AT_A_TIME, MODEL_MIN_RESIDENCY: "600", QUEUE_TIMEOUT: "1", LALS_CONFIG: await modelsFile() } });
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  test("a request that cannot wait for the residency to end is refused as overloaded, with a Retry-After, and the loaded model keeps serving", async () => {
    assert.equal((await chat(server, "a")).content, FINISHING_REPLY);
    const refused = await chat(server, "b");
    assert.equal(refused.status, 429, refused.error);
    assert.match(refused.error ?? "", /The model 'b' waited 1 s for room in MODEL_MEMORY_LIMIT/);
    assert.ok(Number(refused.retryAfter) > 0);
    assert.equal((await chat(server, "a")).content, FINISHING_REPLY);
    assert.deepEqual([loads(server, "a"), loads(server, "b"), unloads(server, "a")], [1, 0, 0]);
    const info = await served(server);
    assert.equal(info.get("b")?.loaded, false);
    assert.equal((await fetch(`${server.baseUrl}/health`)).status, 200);
  });
});
