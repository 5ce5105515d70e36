import assert from "node:assert/strict";
import { test } from "node:test";
import { cancelWith, cancellationOf } from "../core/cancel-cause.js";
import type { ChatEvent } from "../core/chat-event.js";
import { emptyChatRequest } from "../core/chat-request.js";
import { GatewayError } from "../core/gateway-error.js";
import { admitOnStart, type GenerationStream } from "../core/generation-stream.js";
import type { Engine, GenerateOptions } from "./engine.js";
import { FallbackEngine } from "./fallback-engine.js";

/** An engine that refuses with `refusal`, or answers "text", noting the options it was given. */
function scripted(text: string, refusal?: GatewayError): Engine & { options: GenerateOptions[] } {
  const options: GenerateOptions[] = [];
  return {
    options,
    health: () => ({ state: "ready" }),
    occupancy: () => ({ slots: 1, busySlots: 0, queued: 0 }),
    models: () => [{ id: "m", created: 0, ownedBy: "test", contextLength: 1 }],
    countTokens: async () => 1,
    generate(_request, signal, given): GenerationStream {
      options.push(given);
      return admitOnStart((async function* (): AsyncGenerator<ChatEvent> {
        if (signal.aborted) throw cancellationOf(signal);
        if (refusal !== undefined) throw refusal;
        yield { type: "start", inputTokens: 1, cachedTokens: 0 };
        yield { type: "block_start", index: 0, kind: "text" };
        yield { type: "text_delta", index: 0, text };
        yield { type: "block_end", index: 0 };
        yield { type: "end", stopReason: "end_turn", usage: { inputTokens: 1, cachedTokens: 0, outputTokens: 1 } };
      })());
    },
  };
}

async function text(stream: GenerationStream): Promise<string> {
  let out = "";
  for await (const event of stream) if (event.type === "text_delta") out += event.text;
  return out;
}

const group = { group: { size: 2 } };

test("a primary refusing as unreachable or failing is answered by the fallback, which gets the same options", async () => {
  for (const kind of ["unavailable", "upstream"] as const) {
    const fallback = scripted("fallback");
    const primary = scripted("primary", new GatewayError(kind, "down"));
    const stream = new FallbackEngine(primary, fallback).generate(emptyChatRequest("m"), new AbortController().signal, group);
    await stream.admitted;
    assert.equal(await text(stream), "fallback");
    assert.deepEqual([primary.options, fallback.options], [[group], [group]]);
  }
});

test("an admitted primary answers; a refusal of the request itself, or a cancellation, is not passed to the fallback", async () => {
  const fallback = scripted("fallback");
  assert.equal(await text(new FallbackEngine(scripted("primary"), fallback).generate(emptyChatRequest("m"), new AbortController().signal, group)), "primary");
  const invalid = new FallbackEngine(scripted("primary", new GatewayError("invalid_request", "no")), fallback).generate(emptyChatRequest("m"), new AbortController().signal, group);
  await assert.rejects(invalid.admitted, /no/);
  const abort = new AbortController();
  cancelWith(abort, { type: "shutdown" });
  const cancelled = new FallbackEngine(scripted("primary"), fallback).generate(emptyChatRequest("m"), abort.signal, group);
  await assert.rejects(cancelled.admitted, /shutting down/);
  assert.deepEqual(fallback.options, []);
});
