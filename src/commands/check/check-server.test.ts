import assert from "node:assert/strict";
import { test } from "node:test";
import { CheckFailure, HttpError } from "./check-failure.js";
import { checkServer, isNotOffered, type ServerSettings } from "./check-server.js";
import type { Failure } from "./describe-failure.js";
import type { Probe, ProbeAnswer } from "./probe.js";

const settings: ServerSettings = { url: "http://127.0.0.1:1", apiKey: undefined, model: "qwen3", maxTokens: 16, timeoutMs: 1000 };

/** A scripted probe: answers, or throws what it is given; records that it ran. */
function scripted(name: string, group: string, outcome: Error | ProbeAnswer, ran: string[]): Probe {
  return {
    name, protocol: "openai", stream: false, group, needsModel: true,
    run: async (context) => {
      ran.push(name);
      context.received(outcome instanceof HttpError ? outcome.status : 200);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
}

test("a 404 to a group's first probe makes the group n/a without sending the rest; other groups run on", async () => {
  const ran: string[] = [];
  const report = await checkServer(settings, [
    scripted("responses", "responses", new HttpError(404, { error: { message: "Route POST:/v1/responses not found" } }), ran),
    scripted("responses stream", "responses", { outputTokens: 3 }, ran),
    scripted("chat", "chat", { outputTokens: 3 }, ran),
  ]);
  assert.deepEqual(ran, ["responses", "chat"]);
  assert.deepEqual(report.checks.map((c) => [c.name, c.offered, c.pass]), [["responses", false, false], ["responses stream", false, false], ["chat", true, true]]);
  assert.equal(report.checks[0]!.status, 404);
  assert.equal(report.model, "qwen3");
});

test("a 404 that names the model is a missing model, a failure, not a missing API", async () => {
  const ran: string[] = [];
  const report = await checkServer(settings, [scripted("chat", "chat", new HttpError(404, { error: "model 'qwen3' not found" }), ran)]);
  assert.deepEqual(report.checks.map((c) => [c.offered, c.pass, c.error]), [[true, false, "404 model 'qwen3' not found"]]);
});

test("once a group answered, a later 404 or a wrong shape in it is a failure", async () => {
  const ran: string[] = [];
  const report = await checkServer(settings, [
    scripted("models", "openai", { outputTokens: null }, ran),
    scripted("chat", "openai", new HttpError(405, "Method Not Allowed"), ran),
    scripted("chat stream", "openai", new CheckFailure("no text in the deltas"), ran),
  ]);
  assert.deepEqual(report.checks.map((c) => [c.offered, c.pass, c.status, c.error]), [
    [true, true, 200, undefined], [true, false, 405, "405 Method Not Allowed"], [true, false, 200, "no text in the deltas"],
  ]);
});

test("a route's 404 is a missing API even when its path holds the model's name; the name elsewhere is a missing model", () => {
  const failure = (body: unknown): Failure => ({ status: 404, reason: "404", body: JSON.stringify(body) });
  assert.equal(isNotOffered(failure({ message: "Route POST:/v1beta/models/org/qwen3:generateContent not found" }), "org/qwen3"), true);
  assert.equal(isNotOffered(failure({ detail: "Not Found" }), "qwen3"), true);
  assert.equal(isNotOffered(failure({ error: { message: "The model 'org/qwen3' does not exist." } }), "org/qwen3"), false);
  assert.equal(isNotOffered(failure({ error: "model \"qwen3\" not found, try pulling it first" }), "qwen3"), false);
  assert.equal(isNotOffered({ status: 401, reason: "401", body: "" }, "qwen3"), false);
});
