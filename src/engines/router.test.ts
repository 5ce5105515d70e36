import assert from "node:assert/strict";
import { test } from "node:test";
import { ScriptedEngine } from "../../test/scripted-engine.js";
import { GatewayError } from "../core/gateway-error.js";
import { Router } from "./router.js";

const engines = () => [new ScriptedEngine("local", { inputTokens: 1, deltas: [] }), new ScriptedEngine("other", { inputTokens: 1, deltas: [] })];

test("vendors' model names are served by the default model; served models and aliases win; other names are 404s naming what there is", () => {
  const [local, other] = engines();
  const router = new Router([local!, other!], { aliases: [{ name: "claude-haiku-*", target: "other" }] });
  for (const name of ["claude-sonnet-4-5", "claude-opus-4-1", "gpt-5.2-codex", "gpt-4o", "o3-mini", "o4", "codex-mini-latest", "gemini-2.5-flash-lite", "chatgpt-4o-latest"]) {
    assert.deepEqual(router.route(name), { engine: local, servedId: "local" }, name);
  }
  assert.equal(router.resolve("claude-haiku-4-5"), other, "an alias wins over the vendor rule");
  assert.equal(router.resolve("other"), other);
  assert.throws(() => router.resolve("llama3"), (error: unknown) => error instanceof GatewayError && error.kind === "not_found" && /Available models: local, other, claude-haiku-\*, claude-\*/.test(error.message));
  assert.throws(() => router.resolve("ollama-claude"), GatewayError);
  const listed = router.models().filter((m) => m.aliasOf === "local").map((m) => m.id);
  assert.deepEqual(listed, ["claude-*", "gpt-*", "chatgpt-*", "o<digit>*", "codex-*", "gemini-*"]);
});

test("with vendor names off, a vendor's name is a 404 like any unknown name", () => {
  const [local] = engines();
  const router = new Router([local!], { vendorNames: false });
  assert.throws(() => router.resolve("claude-sonnet-4-5"), (error: unknown) => error instanceof GatewayError && error.kind === "not_found");
  assert.deepEqual(router.models().map((m) => m.id), ["local"]);
});

test("Ollama's default tag: `name:latest` is `name`, and an alias named with the tag still wins", () => {
  const [local, other] = engines();
  const router = new Router([local!, other!], { vendorNames: false, aliases: [{ name: "llama3.2:latest", target: "other" }, { name: "mistral", target: "other" }] });
  assert.deepEqual(router.route("local:latest"), { engine: local, servedId: "local" });
  assert.deepEqual(router.route("mistral:latest"), { engine: other, servedId: "other" });
  assert.deepEqual(router.route("llama3.2:latest"), { engine: other, servedId: "other" });
  assert.throws(() => router.resolve("local:8b"), (error: unknown) => error instanceof GatewayError && error.kind === "not_found");
  assert.throws(() => router.resolve("llama3.2"), (error: unknown) => error instanceof GatewayError && error.kind === "not_found");
});
