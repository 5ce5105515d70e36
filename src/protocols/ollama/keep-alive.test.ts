import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../core/gateway-error.js";
import { keepAliveAnswer, keepAliveSeconds } from "./keep-alive.js";

test("keep_alive reads numbers as seconds and strings as Go durations; negative means for good", () => {
  assert.equal(keepAliveSeconds(undefined), undefined);
  assert.equal(keepAliveSeconds(0), 0);
  assert.equal(keepAliveSeconds(90), 90);
  assert.equal(keepAliveSeconds(-5), -1);
  assert.equal(keepAliveSeconds("5m"), 300);
  assert.equal(keepAliveSeconds("1h30m"), 5400);
  assert.equal(keepAliveSeconds("1.5h"), 5400);
  assert.equal(keepAliveSeconds("300ms"), 0.3);
  assert.equal(keepAliveSeconds("0"), 0);
  assert.equal(keepAliveSeconds("-1"), -1);
  assert.equal(keepAliveSeconds("-1m"), -1);
  for (const bad of ["5 minutes", "m", "1d", ""]) {
    assert.throws(() => keepAliveSeconds(bad), (e: unknown) => e instanceof GatewayError && e.param === "keep_alive", bad);
  }
});

test("a load-only request loads for Ollama's default five minutes, or unloads with 0", () => {
  const load = keepAliveAnswer("m", undefined, (reason) => reason);
  assert.equal(load.type, "keep_alive");
  if (load.type !== "keep_alive") return;
  assert.equal(load.seconds, 300);
  assert.equal(load.render({ id: "m", created: 0, ownedBy: "x", contextLength: 1 }), "load");
  const unload = keepAliveAnswer("m", 0, (reason) => reason);
  assert.ok(unload.type === "keep_alive" && unload.seconds === 0 && unload.render({ id: "m", created: 0, ownedBy: "x", contextLength: 1 }) === "unload");
});
