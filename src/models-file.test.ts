import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readModelsFile, upstreamLimitsOf } from "./models-file.js";

function file(upstream: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), "lals-models-")), "models.json");
  writeFileSync(path, JSON.stringify({ models: [{ id: "fleet", upstream: { protocol: "openai", model: "m", replicas: [{ baseUrl: "http://10.0.0.5:8000/v1" }], ...upstream } }] }));
  return path;
}

test("an upstream's limits are optional overrides, handed to the engine in ms", () => {
  assert.deepEqual(upstreamLimitsOf(readModelsFile(file({})).upstreams[0]!), {});
  const limits = { firstByteTimeoutSeconds: 30, idleTimeoutSeconds: 5, maxConcurrentPerReplica: 8, maxErrorBodyBytes: 4096, maxEventBytes: 65536 };
  assert.deepEqual(upstreamLimitsOf(readModelsFile(file({ limits })).upstreams[0]!), {
    firstByteTimeoutMs: 30_000, idleTimeoutMs: 5_000, maxConcurrentPerReplica: 8, maxErrorBodyBytes: 4096, maxEventBytes: 65536,
  });
});

test("an unknown or out-of-range limit is refused, naming it", () => {
  assert.throws(() => readModelsFile(file({ limits: { idleSeconds: 5 } })), /limits/);
  assert.throws(() => readModelsFile(file({ limits: { maxConcurrentPerReplica: 0 } })), /limits\.maxConcurrentPerReplica/);
});

function localFile(entry: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), "lals-models-")), "models.json");
  writeFileSync(path, JSON.stringify({ models: [{ id: "embed", path: "/models/e.gguf", ...entry }] }));
  return path;
}

test("a local entry may say its kind, serve embeddings beside chat, and accept dimensions", () => {
  const [local] = readModelsFile(localFile({ kind: "embedding", matryoshka: true })).locals;
  assert.equal(local!.kind, "embedding");
  assert.equal(local!.matryoshka, true);
  assert.equal(readModelsFile(localFile({ embeddings: true })).locals[0]!.embeddings, true);
  assert.equal(readModelsFile(localFile({})).locals[0]!.kind, undefined);
  assert.throws(() => readModelsFile(localFile({ kind: "rerank" })), /models\.0/);
});
