import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatEvent } from "../../../core/chat-event.js";
import { renderCompletionStream } from "./render-stream.js";

async function render(events: ChatEvent[]): Promise<string> {
  async function* source(): AsyncGenerator<ChatEvent> { yield* events; }
  let out = "";
  for await (const frame of renderCompletionStream(source(), { id: "compl_test", model: "m" }, "req_test")) out += frame;
  return out;
}

test("streams completion frames, one ping, and a final frame with the stop reason", async () => {
  const out = await render([
    { type: "start", inputTokens: 5, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "text" },
    { type: "text_delta", index: 0, text: " Hello" },
    { type: "text_delta", index: 0, text: "!" },
    { type: "block_end", index: 0 },
    { type: "end", stopReason: "stop_sequence", stopSequence: "\n\nHuman:", usage: { inputTokens: 5, cachedTokens: 0, outputTokens: 3 } },
  ]);
  assert.equal(out, [
    'event: completion\ndata: {"type":"completion","id":"compl_test","completion":" Hello","stop_reason":null,"stop":null,"model":"m"}\n\n',
    'event: ping\ndata: {"type":"ping"}\n\n',
    'event: completion\ndata: {"type":"completion","id":"compl_test","completion":"!","stop_reason":null,"stop":null,"model":"m"}\n\n',
    'event: completion\ndata: {"type":"completion","id":"compl_test","completion":"","stop_reason":"stop_sequence","stop":"\\n\\nHuman:","model":"m"}\n\n',
  ].join(""));
});

test("running out of tokens is max_tokens; thinking is not part of a completion", async () => {
  const out = await render([
    { type: "start", inputTokens: 5, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "thinking" },
    { type: "thinking_delta", index: 0, text: "secret" },
    { type: "block_end", index: 0 },
    { type: "end", stopReason: "max_tokens", usage: { inputTokens: 5, cachedTokens: 0, outputTokens: 1 } },
  ]);
  assert.ok(!out.includes("secret"));
  assert.match(out, /"stop_reason":"max_tokens"/);
});
