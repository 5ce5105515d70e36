import assert from "node:assert/strict";
import { test } from "node:test";
import { ScriptedEngine } from "../../test/scripted-engine.js";
import { loadConfig } from "../config.js";
import { Router } from "../engines/router.js";
import { buildServer } from "../server.js";

const server = (apiKeys: string[]) => buildServer(loadConfig([], {}), new Router([new ScriptedEngine("m", { inputTokens: 1, deltas: [] })]), { apiKeys });

test("with keys set, GET / tells a caller without a valid key the name, version and health only", async () => {
  const app = await server(["sk-a"]);
  for (const headers of [{}, { authorization: "Bearer wrong" }]) {
    const anonymous = await app.inject({ method: "GET", url: "/", headers });
    assert.equal(anonymous.statusCode, 200);
    assert.deepEqual(Object.keys(anonymous.json()).sort(), ["name", "status", "version"]);
  }
  const holder = await app.inject({ method: "GET", url: "/", headers: { authorization: "Bearer sk-a" } });
  const body = holder.json() as { served: Array<{ busySlots: number; queued: number }> };
  assert.equal(body.served[0]?.queued, 0, "a key holder sees the slots and queues");
});

test("without keys, GET / shows everything, as before", async () => {
  const body = (await (await server([])).inject({ method: "GET", url: "/" })).json() as Record<string, unknown>;
  assert.ok("served" in body && "endpoints" in body && "models" in body);
});
