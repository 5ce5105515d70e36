import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../config.js";
import { Router } from "../engines/router.js";
import { buildServer } from "../server.js";
import { ANONYMOUS } from "./request-context.js";
import { ScriptedEngine } from "../../test/scripted-engine.js";
import { CACHE_HEADER } from "./send-generation.js";

const greedy = (key?: string) => ({
  method: "POST" as const,
  url: "/v1/chat/completions",
  headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  payload: { model: "m", temperature: 0, messages: [{ role: "user", content: "same question" }] },
});

test("a cached reply is served only to the key whose request caused it", async () => {
  const engine = new ScriptedEngine("m", { inputTokens: 3, deltas: ["a", "b"] });
  const app = await buildServer(loadConfig([], { ENABLE_CACHING: "true" }), new Router([engine]), { apiKeys: ["sk-a", "sk-b"] });
  assert.equal((await app.inject(greedy("sk-a"))).headers[CACHE_HEADER], "miss");
  assert.equal((await app.inject(greedy("sk-a"))).headers[CACHE_HEADER], "hit");
  assert.equal((await app.inject(greedy("sk-b"))).headers[CACHE_HEADER], "miss", "another key's reply is not replayed");
  assert.equal(engine.requests.length, 2);
});

test("every generated request carries its tenant's partition: the verified key's id, or anonymous without keys", async () => {
  const keyed = new ScriptedEngine("m", { inputTokens: 3, deltas: ["a"] });
  const withKeys = await buildServer(loadConfig([], {}), new Router([keyed]), { apiKeys: ["sk-a", "sk-b"] });
  await withKeys.inject(greedy("sk-a"));
  await withKeys.inject(greedy("sk-b"));
  await withKeys.inject(greedy("sk-a"));
  const [a, b, again] = keyed.requests.map((r) => r.partition);
  assert.match(a ?? "", /^key:[0-9a-f]{16}$/);
  assert.notEqual(a, b);
  assert.equal(a, again);
  assert.ok(!(a ?? "").includes("sk-a"), "the id is not the key");

  const open = new ScriptedEngine("m", { inputTokens: 3, deltas: ["a"] });
  const withoutKeys = await buildServer(loadConfig([], {}), new Router([open]));
  await withoutKeys.inject(greedy(`made-up`));
  assert.equal(open.requests[0]?.partition, ANONYMOUS);
});
