import assert from "node:assert/strict";
import { test } from "node:test";
import { ScriptedEngine } from "../../test/scripted-engine.js";
import { GatewayError } from "../core/gateway-error.js";
import type { Engine, ModelInfo } from "./engine.js";
import { Router } from "./router.js";

class EmbeddingOnly extends ScriptedEngine {
  override models(): ModelInfo[] {
    return super.models().map((m) => ({ ...m, kind: "embedding" as const }));
  }
}

/** A chat engine without `embed`, and an embedding-only one. */
function engines(): { chat: Engine; embedder: Engine } {
  const chat: Engine = Object.assign(new ScriptedEngine("chat", { inputTokens: 1, deltas: [] }), { embed: undefined });
  return { chat, embedder: new EmbeddingOnly("embed", { inputTokens: 1, deltas: [] }) };
}

const refusal = (run: () => unknown): GatewayError => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail("not refused");
};

test("an embeddings request to a chat model that cannot embed is a 400 on model", () => {
  const { chat, embedder } = engines();
  const router = new Router([chat, embedder], { aliases: [{ name: "text-embedding-3-small", target: "embed" }] });
  const error = refusal(() => router.routeEmbedding("chat"));
  assert.equal(error.kind, "invalid_request");
  assert.equal(error.param, "model");
  assert.equal(router.routeEmbedding("embed").engine, embedder);
  assert.equal(router.routeEmbedding("text-embedding-3-small").servedId, "embed");
});

test("a chat request to an embedding-only model is a 400 on model, an alias of it too", () => {
  const { chat, embedder } = engines();
  const router = new Router([chat, embedder], { aliases: [{ name: "emb", target: "embed" }] });
  for (const name of ["embed", "emb"]) {
    const error = refusal(() => router.route(name));
    assert.equal(error.kind, "invalid_request");
    assert.match(error.message, /embedding model/);
  }
  assert.equal(router.route("chat").engine, chat);
  assert.equal(refusal(() => router.routeEmbedding("nothing")).kind, "not_found");
});

test("resolve finds an embedding model's engine, for what every model reports (slots, occupancy)", () => {
  const { chat, embedder } = engines();
  assert.equal(new Router([chat, embedder]).resolve("embed"), embedder);
});
