// The llama engine on the tiny fixture model: admission, the events of a generation, cancellation by its cause, and
// slots given back.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { LlamaContextSequence } from "node-llama-cpp";
import { pino } from "pino";
import { writeQwen3Fixture } from "../../fixture/qwen3-fixture.js";
import { cancelWith, Cancelled, type CancelCause } from "../../core/cancel-cause.js";
import type { ChatEvent } from "../../core/chat-event.js";
import { emptyChatRequest, type ChatRequest } from "../../core/chat-request.js";
import { collect } from "../../core/collect.js";
import { GatewayError } from "../../core/gateway-error.js";
import { ALONE } from "../engine.js";
import { LlamaEngine } from "./llama-engine.js";

const directory = mkdtempSync(join(tmpdir(), "lals-llama-engine-test-"));
const modelPath = join(directory, "qwen3-tiny.gguf");
let engine: LlamaEngine;

before(async () => {
  await writeQwen3Fixture(modelPath);
  engine = new LlamaEngine({ source: { uri: modelPath, cacheDir: "" }, alias: "tiny", log: pino({ level: "silent" }), contextSize: 256, threads: 1, parallel: 2 });
  await engine.load();
});

after(async () => {
  await engine.dispose();
  rmSync(directory, { recursive: true, force: true });
});

function ask(maxTokens: number, text = "Hello"): ChatRequest {
  const request = emptyChatRequest("tiny");
  request.messages.push({ role: "user", content: [{ type: "text", text }] });
  request.sampling.maxTokens = maxTokens;
  return request;
}

const cancelledBy = (type: CancelCause["type"]) => (error: unknown): boolean => error instanceof Cancelled && error.cancelCause.type === type;

/** Reads up to and including the first text or thinking delta. */
async function untilContent(iterator: AsyncIterator<ChatEvent>): Promise<void> {
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
    if (next.value.type === "text_delta" || next.value.type === "thinking_delta") return;
  }
  assert.fail("the generation ended before any content");
}

async function rest(iterator: AsyncIterator<ChatEvent>): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) events.push(next.value);
  return events;
}

test("is admitted, streams its reply and reports the input tokens countTokens counts; the slot is free after", async () => {
  const request = ask(6);
  const generation = engine.generate(request, new AbortController().signal, ALONE);
  await generation.admitted;
  const result = await collect(generation);
  assert.equal(result.usage.inputTokens, await engine.countTokens(request));
  assert.ok(result.usage.outputTokens > 0 && result.usage.outputTokens <= 6);
  assert.equal(engine.occupancy().busySlots, 0);
});

test("members of a group are admitted together, each on its own slot", async () => {
  const group = { group: { size: 2 } };
  const generations = [engine.generate(ask(3), new AbortController().signal, group), engine.generate(ask(3), new AbortController().signal, group)];
  await Promise.all(generations.map((g) => g.admitted));
  assert.equal(engine.occupancy().busySlots, 2);
  await Promise.all(generations.map((g) => collect(g)));
  assert.equal(engine.occupancy().busySlots, 0);
});

test("a cause the client is told of (shutdown) ends the stream with its error; a client gone, with nothing", async () => {
  for (const type of ["shutdown", "client_gone"] as const) {
    const abort = new AbortController();
    const generation = engine.generate(ask(200), abort.signal, ALONE);
    await generation.admitted;
    const iterator = generation[Symbol.asyncIterator]();
    await untilContent(iterator);
    cancelWith(abort, { type });
    const events = await rest(iterator);
    assert.ok(!events.some((e) => e.type === "end"), "no end after a cancellation");
    const errors = events.filter((e) => e.type === "error");
    if (type === "shutdown") assert.ok(errors.length === 1 && cancelledBy("shutdown")(errors[0]!.type === "error" && errors[0]!.error), JSON.stringify(events.at(-1)));
    else assert.deepEqual(errors, []);
    assert.equal(engine.occupancy().busySlots, 0);
  }
});

test("a signal aborted before admission refuses it with the cancellation and takes no slot", async () => {
  const abort = new AbortController();
  cancelWith(abort, { type: "shutdown" });
  const generation = engine.generate(ask(4), abort.signal, ALONE);
  await assert.rejects(generation.admitted, cancelledBy("shutdown"));
  await generation.close();
  assert.equal(engine.occupancy().busySlots, 0);
});

test("closing an admitted generation that was never read gives its slot back", async () => {
  const generation = engine.generate(ask(200), new AbortController().signal, ALONE);
  await generation.admitted;
  assert.equal(engine.occupancy().busySlots, 1);
  await generation.close();
  assert.equal(engine.occupancy().busySlots, 0);
});

test("a prompt the context cannot hold is refused before admission, naming the conversation by its neutral param", async () => {
  const generation = engine.generate(ask(4, "lighthouse keeper ".repeat(200)), new AbortController().signal, ALONE);
  await assert.rejects(generation.admitted, (error: unknown) => error instanceof GatewayError && error.param === "messages"
    && /too many\. Shorten the conversation\.$/.test(error.message));
});

test("an abort while a long prompt is read drops what is still queued through the patch, and leaves the slot empty", async (t) => {
  const long = new LlamaEngine({ source: { uri: modelPath, cacheDir: "" }, alias: "tiny", log: pino({ level: "silent" }), contextSize: 4096, batchSize: 16, threads: 1 });
  await long.load();
  t.after(() => long.dispose());
  const cancelled: unknown[] = [];
  const original = LlamaContextSequence.prototype.lalsCancelPendingEvaluation;
  LlamaContextSequence.prototype.lalsCancelPendingEvaluation = function (this: LlamaContextSequence, reason: unknown) {
    cancelled.push(reason);
    original.call(this, reason);
  };
  t.after(() => { LlamaContextSequence.prototype.lalsCancelPendingEvaluation = original; });
  const abort = new AbortController();
  const generation = long.generate(ask(4, "lighthouse keeper ".repeat(200)), abort.signal, ALONE);
  await generation.admitted;
  const iterator = generation[Symbol.asyncIterator]();
  assert.equal((await iterator.next()).value?.type, "start");
  const reading = rest(iterator);
  await new Promise((resolve) => setImmediate(resolve));
  cancelWith(abort, { type: "client_gone" });
  assert.deepEqual(await reading, []);
  assert.ok(cancelledBy("client_gone")(cancelled[0]), "the queued batches are failed with the cancellation");
  const next = long.generate(ask(1, "lighthouse keeper ".repeat(200)), new AbortController().signal, ALONE);
  const iteratorNext = next[Symbol.asyncIterator]();
  const start = (await iteratorNext.next()).value;
  assert.ok(start?.type === "start" && start.cachedTokens === 0, "nothing of the cut prompt is reused");
  await next.close();
});
