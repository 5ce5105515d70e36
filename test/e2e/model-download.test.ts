// MODEL_PATH as a URL: downloaded into the cache on first start (from a local HTTP server: tests never leave loopback).
import assert from "node:assert/strict";
import { createReadStream, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fixtureModel, runUntilExit, startServer } from "./harness.js";

let files: Server;
let base: string;

before(async () => {
  const model = await fixtureModel();
  files = createServer((request, response) => {
    if (request.url !== "/models/qwen3-tiny.gguf") return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": "application/octet-stream" });
    createReadStream(model).pipe(response);
  });
  await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => files.close(() => resolve())));

test("downloads a model given by URL into MODEL_CACHE_DIR and serves it", async () => {
  const cache = mkdtempSync(join(tmpdir(), "lals-cache-"));
  const server = await startServer({ env: { MODEL_PATH: `${base}/models/qwen3-tiny.gguf`, MODEL_CACHE_DIR: cache } });
  try {
    assert.ok(existsSync(join(cache, "qwen3-tiny.gguf")));
    assert.equal((await fetch(`${server.baseUrl}/health`)).status, 200);
  } finally {
    await server.stop();
  }
});

test("a model that cannot be fetched stops start-up with a message that points at MODEL_PATH", async () => {
  const cache = mkdtempSync(join(tmpdir(), "lals-cache-"));
  const { code, output } = await runUntilExit({ MODEL_PATH: `${base}/models/missing.gguf`, MODEL_CACHE_DIR: cache });
  assert.equal(code, 1);
  assert.match(output, /MODEL_PATH=\/path\/to\/model\.gguf/);
});

test("a missing local file stops start-up naming MODEL_PATH", async () => {
  const { code, output } = await runUntilExit({ MODEL_PATH: "/nonexistent/model.gguf" });
  assert.equal(code, 1);
  assert.match(output, /MODEL_PATH: no file at \/nonexistent\/model\.gguf/);
});

test("a bad setting stops start-up with one line naming it and what it accepts", async () => {
  const { code, output } = await runUntilExit({ MODEL_N_CTX: "lots" });
  assert.equal(code, 2);
  assert.equal(output.trim(), 'lals: MODEL_N_CTX="lots": accepts auto or a whole number from 256');
});

test("lals models lists the configured models and where their files are; lals pull downloads one ahead of time", async () => {
  const cache = mkdtempSync(join(tmpdir(), "lals-cache-"));
  const config = join(cache, "models.json");
  writeFileSync(config, JSON.stringify({ models: [{ id: "remote", path: `${base}/models/qwen3-tiny.gguf`, aliases: ["claude-haiku-*"] }] }));
  const env = { MODEL_PATH: await fixtureModel(), MODEL_CACHE_DIR: cache, LALS_CONFIG: config };
  const before = await runUntilExit(env, ["models"]);
  assert.equal(before.code, 0, before.output);
  assert.match(before.output, /^qwen3-0\.6b\tdefault\t.*\n  file: \/.*qwen3-tiny-default\.gguf$/m);
  assert.match(before.output, /^remote\ton demand\thttp:.*\n  file: not downloaded yet/m);
  assert.match(before.output, /aliases: claude-haiku-\*/);

  const pull = await runUntilExit(env, ["pull", "claude-haiku-x"]);
  assert.equal(pull.code, 0, pull.output);
  assert.ok(existsSync(join(cache, "qwen3-tiny.gguf")));
  const after = await runUntilExit(env, ["models"]);
  assert.match(after.output, new RegExp(`^remote\\ton demand.*\\n  file: ${join(cache, "qwen3-tiny.gguf")}$`, "m"));

  const unknown = await runUntilExit(env, ["pull", "nothing-like-this"]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.output, /neither a configured model/);
});
