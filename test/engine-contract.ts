// The contract every engine keeps (src/engines/engine.ts), as one suite run against each engine: explicit admission,
// the order of events, cancellation by a CancelCause only (told to the client when it is reported), slots given back.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cancelWith, Cancelled, type CancelCause } from "../src/core/cancel-cause.js";
import type { ChatEvent } from "../src/core/chat-event.js";
import { emptyChatRequest, type ChatRequest } from "../src/core/chat-request.js";
import { collect } from "../src/core/collect.js";
import { GatewayError } from "../src/core/gateway-error.js";
import { ALONE, type Engine } from "../src/engines/engine.js";

export interface ContractSubject {
  engine: Engine;
  /** The model to ask for. */
  model: string;
  /** A request's max tokens that outlasts any test (the engine generates until it is cancelled). */
  longMaxTokens: number;
}

/** A request for `model` of at most `maxTokens`. */
export function requestFor(model: string, maxTokens: number, text = "Hello"): ChatRequest {
  const request = emptyChatRequest(model);
  request.messages.push({ role: "user", content: [{ type: "text", text }] });
  request.sampling.maxTokens = maxTokens;
  return request;
}

async function waitIdle(engine: Engine): Promise<void> {
  for (let i = 0; i < 200 && engine.occupancy().busySlots > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(engine.occupancy().busySlots, 0, "the slot is given back");
}

/** Reads until the first content delta has come. */
async function untilContent(iterator: AsyncIterator<ChatEvent>): Promise<ChatEvent[]> {
  const seen: ChatEvent[] = [];
  for (;;) {
    const next = await iterator.next();
    assert.ok(next.done !== true, "the generation goes on");
    seen.push(next.value);
    if (next.value.type === "text_delta" || next.value.type === "thinking_delta") return seen;
  }
}

/** Starts a long generation, cancels it with `cause` once content flows, and reads what follows. */
async function cancelledMidway(subject: () => Promise<ContractSubject>, cause: CancelCause): Promise<{ engine: Engine; rest: ChatEvent[] }> {
  const { engine, model, longMaxTokens } = await subject();
  const controller = new AbortController();
  const generation = engine.generate(requestFor(model, longMaxTokens), controller.signal, ALONE);
  await generation.admitted;
  const iterator = generation[Symbol.asyncIterator]();
  await untilContent(iterator);
  cancelWith(controller, cause);
  const rest: ChatEvent[] = [];
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) rest.push(next.value);
  return { engine, rest };
}

export function engineContract(name: string, subject: () => Promise<ContractSubject>): void {
  describe(`${name} keeps the engine contract`, () => {
    test("admission settles first; the events start with start, close their blocks and end with end", async () => {
      const { engine, model } = await subject();
      const generation = engine.generate(requestFor(model, 4), new AbortController().signal, ALONE);
      await generation.admitted;
      const result = await collect(generation);
      assert.ok(result.usage.inputTokens > 0);
      assert.ok(result.usage.outputTokens <= 4);
      await waitIdle(engine);
    });

    test("a cause that is reported (shutdown) ends the stream with its error; the slot is given back", async () => {
      const { engine, rest } = await cancelledMidway(subject, { type: "shutdown" });
      const last = rest.at(-1);
      assert.equal(last?.type, "error", `ends with an error event: ${JSON.stringify(rest.slice(-2))}`);
      assert.ok(last?.type === "error" && last.error instanceof GatewayError && last.error.kind === "unavailable");
      assert.ok(!rest.some((e) => e.type === "end"), "no end after a cancellation");
      await waitIdle(engine);
    });

    test("a client gone ends the stream without an error and without an end; the slot is given back", async () => {
      const { engine, rest } = await cancelledMidway(subject, { type: "client_gone" });
      assert.ok(!rest.some((e) => e.type === "error" || e.type === "end"), JSON.stringify(rest.slice(-2)));
      await waitIdle(engine);
    });

    test("a signal aborted before admission refuses it with the cancellation, and holds nothing", async () => {
      const { engine, model } = await subject();
      const controller = new AbortController();
      cancelWith(controller, { type: "shutdown" });
      const generation = engine.generate(requestFor(model, 4), controller.signal, ALONE);
      await assert.rejects(generation.admitted, (error: unknown) => error instanceof Cancelled || (error instanceof GatewayError && error.kind === "unavailable"));
      await generation.close();
      await waitIdle(engine);
    });

    test("closing a generation that was never read frees what it holds", async () => {
      const { engine, model, longMaxTokens } = await subject();
      const generation = engine.generate(requestFor(model, longMaxTokens), new AbortController().signal, ALONE);
      await generation.admitted;
      await generation.close();
      await waitIdle(engine);
    });
  });
}
