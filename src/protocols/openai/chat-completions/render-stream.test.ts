import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { ChatEvent } from "../../../core/chat-event.js";
import { GatewayError } from "../../../core/gateway-error.js";
import type { Indexed } from "../../../core/merge-streams.js";
import { renderChatCompletionStream } from "./render-stream.js";

const identity = { id: "chatcmpl-test", model: "qwen3-0.6b", created: 1700000000, systemFingerprint: "fp_lals" };

async function render(events: ChatEvent[], includeUsage: boolean): Promise<string> {
  async function* source(): AsyncGenerator<Indexed<ChatEvent>> { for (const value of events) yield { index: 0, value }; }
  let out = "";
  for await (const frame of renderChatCompletionStream(source(), { ...identity, includeUsage, choices: 1 })) out += frame;
  return out;
}

const events: ChatEvent[] = [
  { type: "start", inputTokens: 10, cachedTokens: 4 },
  { type: "block_start", index: 0, kind: "thinking" },
  { type: "thinking_delta", index: 0, text: "hmm" },
  { type: "block_end", index: 0 },
  { type: "block_start", index: 1, kind: "text" },
  { type: "text_delta", index: 1, text: "Hi" },
  { type: "text_delta", index: 1, text: " there" },
  { type: "block_end", index: 1 },
  { type: "end", stopReason: "max_tokens", usage: { inputTokens: 10, cachedTokens: 4, outputTokens: 3 } },
];

test("renders the golden transcript: role first, deltas, finish_reason, usage chunk, [DONE]", async () => {
  const golden = readFileSync(new URL("./render-stream.golden.txt", import.meta.url), "utf8");
  assert.equal(await render(events, true), golden);
});

test("leaves usage out entirely unless include_usage is asked for", async () => {
  const out = await render(events, false);
  assert.ok(!out.includes("usage"));
  assert.ok(out.endsWith("data: [DONE]\n\n"));
});

test("an error after the stream began is sent as an error frame, without [DONE]", async () => {
  const out = await render([{ type: "start", inputTokens: 1, cachedTokens: 0 }, { type: "error", error: new GatewayError("internal", "boom") }], false);
  const frames = out.split("\n\n").filter(Boolean);
  assert.equal(frames.at(-1), 'data: {"error":{"message":"boom","type":"server_error","param":null,"code":null}}');
});

test("a text delta's logprobs ride on its chunk in OpenAI's shape; other chunks carry null", async () => {
  const hi = { token: "Hi", bytes: [72, 105], logprob: -0.25, top: [{ token: "Hi", bytes: [72, 105], logprob: -0.25 }] };
  const out = await render([
    { type: "start", inputTokens: 1, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "text" },
    { type: "text_delta", index: 0, text: "Hi", logprobs: [hi] },
    { type: "block_end", index: 0 },
    { type: "end", stopReason: "end_turn", usage: { inputTokens: 1, cachedTokens: 0, outputTokens: 1 } },
  ], false);
  const chunks = out.split("\n\n").filter((f) => f.startsWith("data: {")).map((f) => JSON.parse(f.slice(6)) as { choices: Array<{ delta: { content?: string }; logprobs: unknown }> });
  assert.deepEqual(chunks.map((c) => c.choices[0]!.logprobs), [
    null,
    { content: [{ token: "Hi", bytes: [72, 105], logprob: -0.25, top_logprobs: [{ token: "Hi", bytes: [72, 105], logprob: -0.25 }] }], refusal: null },
    null,
  ]);
});
