import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { ChatEvent } from "../../../core/chat-event.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { renderMessageStream } from "./render-stream.js";

const identity = { id: "msg_test", model: "qwen3-0.6b" };

async function render(events: ChatEvent[]): Promise<string> {
  async function* source(): AsyncGenerator<ChatEvent> { yield* events; }
  let out = "";
  for await (const frame of renderMessageStream(source(), identity, "req_test")) out += frame;
  return out;
}

const frames = (out: string): Array<{ event: string; data: { type: string } }> => out.split("\n\n").filter(Boolean).map((f) => {
  const [event, data] = f.split("\n");
  return { event: event!.replace(/^event: /, ""), data: JSON.parse(data!.replace(/^data: /, "")) as { type: string } };
});

const events: ChatEvent[] = [
  { type: "start", inputTokens: 10, cachedTokens: 4 },
  { type: "block_start", index: 0, kind: "thinking" },
  { type: "thinking_delta", index: 0, text: "hmm" },
  { type: "block_end", index: 0 },
  { type: "block_start", index: 1, kind: "text" },
  { type: "text_delta", index: 1, text: "Hi" },
  { type: "text_delta", index: 1, text: " there" },
  { type: "block_end", index: 1 },
  { type: "block_start", index: 2, kind: "tool_call", toolCallId: "toolu_1", name: "f" },
  { type: "tool_args_delta", index: 2, json: '{"a":' },
  { type: "tool_args_delta", index: 2, json: "1}" },
  { type: "block_end", index: 2 },
  { type: "end", stopReason: "tool_use", usage: { inputTokens: 10, cachedTokens: 4, outputTokens: 7 } },
];

test("renders the golden transcript: message_start and a ping at once, blocks, signature, message_delta, message_stop", async () => {
  const golden = readFileSync(new URL("./render-stream.golden.txt", import.meta.url), "utf8");
  assert.equal(await render(events), golden);
});

test("every frame's event name equals its data's type", async () => {
  for (const { event, data } of frames(await render(events))) assert.equal(event, data.type);
});

test("a reply with no content still pings before message_delta, and reports the matched stop sequence", async () => {
  const out = frames(await render([
    { type: "start", inputTokens: 3, cachedTokens: 0 },
    { type: "end", stopReason: "stop_sequence", stopSequence: "END", usage: { inputTokens: 3, cachedTokens: 0, outputTokens: 1 } },
  ]));
  assert.deepEqual(out.map((f) => f.event), ["message_start", "ping", "message_delta", "message_stop"]);
  assert.deepEqual((out[2]?.data as unknown as { delta: object }).delta, { stop_reason: "stop_sequence", stop_sequence: "END", stop_details: null, container: null });
});

test("an error after the stream began is an error event in Anthropic's shape", async () => {
  const out = frames(await render([{ type: "start", inputTokens: 1, cachedTokens: 0 }, { type: "error", error: new GatewayError("overloaded", "busy") }]));
  assert.deepEqual(out.at(-1), { event: "error", data: { type: "error", error: { type: "overloaded_error", message: "busy" }, request_id: "req_test" } });
});

test("a tick (silence while a prompt is read) becomes a ping", async () => {
  const ticking = async function* () {
    yield { type: "start", inputTokens: 3, cachedTokens: 0 } as const;
    yield { type: "tick" } as const;
    yield { type: "tick" } as const;
    yield { type: "end", stopReason: "end_turn", usage: { inputTokens: 3, cachedTokens: 0, outputTokens: 0 } } as const;
  };
  const frames: string[] = [];
  for await (const frame of renderMessageStream(ticking(), { id: "msg_test", model: "m" }, "req_1")) frames.push(frame.split("\n")[0]!);
  assert.deepEqual(frames, ["event: message_start", "event: ping", "event: ping", "event: ping", "event: message_delta", "event: message_stop"]);
});
