// A conversation evicted from the only slot comes back from the prompt cache: read from a file, not token by token,
// with the same reply it got the first time, and only for the API key it belongs to. What the slots hold when the
// server stops is kept, so the next run starts warm; what is on disk is checked before it is read.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { eventually, runUntilExit, startServer, type RunningServer } from "./harness.js";

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
  server = await startServer({ env: { ...ENV, MODEL_PROMPT_CACHE_DIR: cacheDir } });
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

/** The saved states (not their records or the owner's lock), as paths under the cache directory. */
const stateFiles = async (): Promise<string[]> => {
  const dirs = await readdir(cacheDir);
  const files = await Promise.all(dirs.map(async (d) => (await readdir(join(cacheDir, d))).map((f) => join(d, f))));
  return files.flat().filter((f) => f.endsWith(".state"));
};

interface SavedRecord {
  state: string;
  record: string;
  partition: string;
  tokens: number[];
  bytes: number;
  usedAt: number;
}

/** Each saved state's record: whose it is, the tokens it holds, its size and when it was last used. */
async function records(): Promise<SavedRecord[]> {
  const found: SavedRecord[] = [];
  for (const d of await readdir(cacheDir)) {
    for (const f of (await readdir(join(cacheDir, d))).filter((name) => name.endsWith(".json"))) {
      const record = join(cacheDir, d, f);
      const { partition, tokens, bytes } = JSON.parse(await readFile(record, "utf8")) as { partition: string; tokens: number[]; bytes: number };
      found.push({ state: record.replace(/\.json$/, ".state"), record, partition, tokens, bytes, usedAt: (await stat(record)).mtimeMs });
    }
  }
  return found;
}

/** The partition LALS files a key's requests under: a digest of the key, never the key. */
const partitionOf = (key: string): string => `key:${createHash("sha256").update(key).digest("hex").slice(0, 16)}`;

/** The tokens of a conversation's prompt, as the server counts them (/tokenize with messages). */
async function promptTokens(key: string, topic: string): Promise<number[]> {
  const reply = await fetch(`${server.baseUrl}/tokenize`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: "qwen3-0.6b", messages: conversation(topic) }),
  });
  assert.equal(reply.status, 200);
  return ((await reply.json()) as { tokens: number[] }).tokens;
}

function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

const ENV = { MODEL_PARALLEL: "1", API_KEYS: "key-a,key-b", LOG_LEVEL: "debug" };
let replies: Record<string, { prompt: number; content: string }> = {};

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
  replies = { lighthouses: first, glaciersOfB: stranger };
});

test("what the slot holds is saved when the server stops, 0600 in 0700, and the next run starts from it, per key", async () => {
  assert.equal(await server.stop(), 0);
  const [keyDir, ...others] = (await readdir(cacheDir)).filter((d) => /^[0-9a-f]{32}$/.test(d));
  assert.equal(others.length, 0);
  assert.equal((await stat(join(cacheDir, keyDir!))).mode & 0o777, 0o700);
  const files = await readdir(join(cacheDir, keyDir!));
  assert.ok(!files.includes("owner"), "the lock is given up at exit");
  for (const f of files) assert.equal((await stat(join(cacheDir, keyDir!, f))).mode & 0o777, 0o600, f);
  assert.ok((await records()).some((r) => r.partition === partitionOf("key-b") && r.tokens.length >= replies.glaciersOfB!.prompt), "key B's conversation, in the slot at exit, was saved");

  server = await startServer({ env: { ...ENV, MODEL_PROMPT_CACHE_DIR: cacheDir } });
  const b = await ask("key-b", "glaciers");
  assert.ok(b.cached >= b.prompt - 1, `after the restart ${b.cached} of ${b.prompt} tokens came from the saved state`);
  assert.equal(b.content, replies.glaciersOfB!.content);
  const a = await ask("key-a", "lighthouses");
  assert.ok(a.cached >= a.prompt - 1, `key A: ${a.cached} of ${a.prompt}`);
  assert.equal(a.content, replies.lighthouses!.content);
  const stranger = await ask("key-b", "lighthouses");
  assert.ok(stranger.cached < 100, `key B read ${stranger.cached} tokens of key A's saved conversation`);
});

test("a truncated state, one changed in place and one holding other tokens than its record are never loaded", async () => {
  const prompts = { lighthouses: await promptTokens("key-a", "lighthouses"), glaciers: await promptTokens("key-a", "glaciers") };
  assert.equal(await server.stop(), 0);
  const saved = await records();
  /** The state of `key`'s conversation about `topic`: the one a request of it would load. */
  const stateOf = (key: string, topic: keyof typeof prompts): SavedRecord => {
    const found = saved.filter((r) => r.partition === partitionOf(key) && commonPrefixLength(r.tokens, prompts[topic]) >= prompts[topic].length - 1);
    assert.equal(found.length, 1, `${found.length} states of ${key}'s ${topic}`);
    return found[0]!;
  };
  const truncated = stateOf("key-a", "lighthouses");
  const changed = stateOf("key-a", "glaciers");
  const swapped = stateOf("key-b", "glaciers");
  const donor = stateOf("key-b", "lighthouses");
  await truncate(truncated.state, Math.floor(truncated.bytes / 2));
  const content = await readFile(changed.state);
  const middle = Math.floor(content.length / 2);
  content[middle] = content[middle]! ^ 0xff;
  await writeFile(changed.state, content);
  // Another conversation's state in place of key B's glaciers, its record's size and digest made to match: only the
  // tokens the state holds can tell.
  const donorContent = await readFile(donor.state);
  await writeFile(swapped.state, donorContent);
  const record = JSON.parse(await readFile(swapped.record, "utf8")) as Record<string, unknown>;
  await writeFile(swapped.record, JSON.stringify({ ...record, bytes: donorContent.length, sha256: createHash("sha256").update(donorContent).digest("hex") }));

  server = await startServer({ env: { ...ENV, MODEL_PROMPT_CACHE_DIR: cacheDir } });
  assert.equal(existsSync(truncated.state), false, "the truncated state was deleted when the cache opened");
  for (const [key, topic, file] of [["key-a", "lighthouses", truncated], ["key-a", "glaciers", changed], ["key-b", "glaciers", swapped]] as const) {
    const reply = await ask(key, topic);
    assert.ok(reply.cached < 100, `${key}'s ${topic}: ${reply.cached} tokens came from a damaged state`);
    assert.equal(existsSync(file.state), false, `${key}'s damaged ${topic} state is deleted`);
  }
  assert.ok(server.logs.some((l) => l.msg === "a saved prompt did not match its record: deleted, not loaded"));
  assert.ok(server.logs.some((l) => l.msg === "could not load a saved prompt: deleted"));
  assert.ok(!server.logs.some((l) => l.msg === "prompt loaded from the prompt cache"), "nothing damaged was loaded");
  // Read token by token, the prompt gives the reply it gave the first time.
  assert.equal((await ask("key-a", "lighthouses")).content, replies.lighthouses!.content);
});

test("across a restart the cache keeps within its budget, dropping the least recently used first; another model's states are not read", async () => {
  assert.equal(await server.stop(), 0);
  const before = await records();
  const total = before.reduce((sum, r) => sum + r.bytes, 0);
  const budgetMiB = Math.max(1, Math.floor(total / 2 ** 20 / 2));
  assert.ok(total > budgetMiB * 2 ** 20, `${total} bytes on disk against a budget of ${budgetMiB} MiB`);
  server = await startServer({ env: { ...ENV, MODEL_PROMPT_CACHE_DIR: cacheDir, MODEL_PROMPT_CACHE: String(budgetMiB) } });
  const after = await records();
  assert.ok(after.length < before.length && after.reduce((sum, r) => sum + r.bytes, 0) <= budgetMiB * 2 ** 20, `${after.length} of ${before.length} states kept`);
  const newest = [...before].sort((x, y) => y.usedAt - x.usedAt)[0]!;
  assert.ok(after.some((r) => r.state === newest.state), "the most recently used state is kept");
  assert.equal(await server.stop(), 0);

  // Another model (the fixture that finishes its replies: other weights, the same tokenizer) keeps its own directory.
  server = await startServer({ fixture: "finishing", env: { ...ENV, MODEL_PROMPT_CACHE_DIR: cacheDir } });
  const again = await ask("key-a", "lighthouses");
  assert.ok(again.cached < 100, `${again.cached} tokens came from another model's state`);
  assert.equal((await readdir(cacheDir)).filter((d) => /^[0-9a-f]{32}$/.test(d)).length, 2);
  assert.deepEqual((await records()).filter((r) => after.some((x) => x.state === r.state)).length, after.length, "the first model's states are left alone");
});

test("lals cache clear removes the saved prompts, but not those of a server that runs", async () => {
  const cleared = await runUntilExit({ MODEL_PROMPT_CACHE_DIR: cacheDir }, ["cache", "clear"]);
  assert.equal(cleared.code, 1, cleared.output);
  assert.match(cleared.output, /in use by pid \d+/);
  assert.equal(await server.stop(), 0);
  const listed = await runUntilExit({ MODEL_PROMPT_CACHE_DIR: cacheDir }, ["cache"]);
  assert.match(listed.output, /saved prompts/);
  const again = await runUntilExit({ MODEL_PROMPT_CACHE_DIR: cacheDir }, ["cache", "clear"]);
  assert.equal(again.code, 0, again.output);
  assert.match(again.output, /removed \d+ saved prompts/);
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
    assert.equal(broken.logs.filter((l) => l.msg === "the prompt cache's directory cannot be used: prompts evicted from slots will be read again").length, 1);
    assert.equal(broken.logs.filter((l) => l.msg === "could not save a prompt before reusing its slot").length, 0);
  } finally {
    assert.equal(await broken.stop(), 0);
  }
});
