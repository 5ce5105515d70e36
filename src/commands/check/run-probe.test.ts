import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { CheckFailure } from "./check-failure.js";
import type { Probe } from "./probe.js";
import { runProbe, tokensPerSecond, type RunSettings } from "./run-probe.js";
import { SdkClients } from "./sdk-clients.js";

const settings: RunSettings = {
  url: "http://127.0.0.1:1", apiKey: undefined, model: "m", maxTokens: 16, timeoutMs: 1000,
  sdks: new SdkClients({ url: "http://127.0.0.1:1", apiKey: undefined, timeoutMs: 1000 }),
};

const probe = (stream: boolean, run: Probe["run"]): Probe => ({ name: "p", protocol: "openai", stream, group: "g", needsModel: true, run });

test("tokens a second: after the first token for a stream, over the whole answer otherwise", () => {
  assert.equal(tokensPerSecond(true, 10, 200, 700), 20);
  assert.equal(tokensPerSecond(false, 10, 500, 500), 20);
  assert.equal(tokensPerSecond(true, 10, 500, 500), null, "no time after the first token: no rate");
  assert.equal(tokensPerSecond(false, null, 500, 500), null);
});

test("a stream's TTFT is its first token's time; its total, the end; the status as the probe received it", async () => {
  const outcome = await runProbe(probe(true, async (context) => {
    context.received(200);
    await sleep(40);
    context.firstToken();
    await sleep(60);
    context.firstToken();
    return { outputTokens: 6 };
  }), settings);
  assert.ok(outcome.ok);
  const { status, ttftMs, totalMs, outputTokens, tokensPerSecond: rate } = outcome.timing;
  assert.equal(status, 200);
  assert.ok(ttftMs !== null && ttftMs >= 35 && ttftMs < 90, String(ttftMs));
  assert.ok(totalMs >= ttftMs + 55, `${totalMs} after ${ttftMs}`);
  assert.equal(outputTokens, 6);
  assert.ok(rate !== null && rate > 0);
});

test("a whole answer's TTFT is its total time", async () => {
  const outcome = await runProbe(probe(false, async (context) => {
    context.received(200);
    await sleep(20);
    return { outputTokens: null };
  }), settings);
  assert.ok(outcome.ok);
  assert.equal(outcome.timing.ttftMs, outcome.timing.totalMs);
  assert.equal(outcome.timing.tokensPerSecond, null);
});

test("a shape failure keeps the status the answer came with", async () => {
  const outcome = await runProbe(probe(false, async (context) => {
    context.received(200);
    throw new CheckFailure("no text in the reply");
  }), settings);
  assert.ok(!outcome.ok);
  assert.equal(outcome.timing.status, 200);
  assert.equal(outcome.failure.reason, "no text in the reply");
});

test("a probe past its deadline ends as a timeout, its signal aborted, even if it ignores the signal", async () => {
  let signal: AbortSignal | undefined;
  const started = performance.now();
  const outcome = await runProbe(probe(true, async (context) => {
    signal = context.signal;
    await sleep(5000, undefined, { ref: false });
    return { outputTokens: 1 };
  }), { ...settings, timeoutMs: 50 });
  assert.ok(performance.now() - started < 1000);
  assert.ok(!outcome.ok);
  assert.equal(outcome.failure.reason, "timeout after 0.05 s");
  assert.equal(signal?.aborted, true);
});
