import assert from "node:assert/strict";
import { test } from "node:test";
import type { CheckResult, Protocol } from "./check-result.js";
import { passCounts, renderSummary } from "./summary.js";

const check = (protocol: Protocol, offered: boolean, pass: boolean, error?: string): CheckResult => ({
  name: "probe", protocol, stream: false, offered, pass, status: 200, ttftMs: 1, totalMs: 1, outputTokens: null, tokensPerSecond: null,
  ...(error === undefined ? {} : { error }),
});

test("counts passes of offered probes per protocol, in the protocols' order, n/a for a protocol offering none", () => {
  const counts = passCounts([
    check("ollama", true, true),
    check("openai", true, true), check("openai", true, false, "500 boom"), check("openai", false, false),
    check("gemini", false, false), check("gemini", false, false),
    check("health", true, true),
  ]);
  assert.equal(counts, "health 1/1 · openai 1/2 (1 n/a) · gemini n/a · ollama 1/1");
});

test("lists each failure with its server and reason, and ends with the verdict", () => {
  const failing = renderSummary([
    { url: "http://a", model: "m", checks: [check("health", true, true)] },
    { url: "http://b", model: null, checks: [check("anthropic", true, false, "401 authentication_error"), check("gemini", false, false, "404 Not Found")] },
  ]);
  assert.match(failing, /^http:\/\/a {2}health 1\/1$/m);
  assert.match(failing, /^ {2}FAIL http:\/\/b {2}anthropic probe: 401 authentication_error$/m);
  assert.doesNotMatch(failing, /404 Not Found/, "a probe not offered is no failure");
  assert.match(failing, /FAIL: 1 probe failed\n$/);
  assert.match(renderSummary([{ url: "http://a", model: "m", checks: [check("openai", true, true)] }]), /ok: every offered probe passed on the server\n$/);
});
