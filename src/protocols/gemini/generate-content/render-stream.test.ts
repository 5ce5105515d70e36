import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { ChatEvent } from "../../../core/chat-event.js";
import { GatewayError } from "../../../core/gateway-error.js";
import type { Indexed } from "../../../core/merge-streams.js";
import { renderGenerateContentStream, type StreamOptions } from "./render-stream.js";

const options: StreamOptions = { model: "gemini-2.5-flash", responseId: "resp_test", includeThoughts: true, logprobs: false, framing: "sse", candidates: 1 };

async function render(events: ReadonlyArray<ChatEvent | Indexed<ChatEvent>>, overrides: Partial<StreamOptions> = {}): Promise<string> {
  async function* source(): AsyncGenerator<Indexed<ChatEvent>> {
    for (const event of events) yield "value" in event ? event : { index: 0, value: event };
  }
  let out = "";
  for await (const frame of renderGenerateContentStream(source(), { ...options, ...overrides })) out += frame;
  return out;
}

const sseChunks = (out: string): unknown[] => out.split("\r\n\r\n").filter(Boolean).map((frame) => JSON.parse(frame.replace(/^data: /, "")) as unknown);

const events: ChatEvent[] = [
  { type: "start", inputTokens: 10, cachedTokens: 4 },
  { type: "block_start", index: 0, kind: "thinking" },
  { type: "thinking_delta", index: 0, text: "hmm" },
  { type: "block_end", index: 0 },
  { type: "block_start", index: 1, kind: "text" },
  { type: "text_delta", index: 1, text: "Hi" },
  { type: "text_delta", index: 1, text: " there" },
  { type: "block_end", index: 1 },
  { type: "block_start", index: 2, kind: "tool_call", toolCallId: "call_1", name: "f" },
  { type: "tool_args_delta", index: 2, json: "{\"a\":" },
  { type: "tool_args_delta", index: 2, json: "1}" },
  { type: "block_end", index: 2 },
  { type: "end", stopReason: "tool_use", usage: { inputTokens: 10, cachedTokens: 4, outputTokens: 7, thinkingTokens: 2 } },
];

test("with alt=sse: one data frame per chunk, \\r\\n-separated as Google writes them (golden)", async () => {
  assert.equal(await render(events), readFileSync(new URL("./render-stream.sse.golden.txt", import.meta.url), "utf8"));
});

test("without alt=sse: the same chunks as one JSON array (golden), which parses whole", async () => {
  const out = await render(events, { framing: "json-array" });
  assert.equal(out, readFileSync(new URL("./render-stream.json.golden.txt", import.meta.url), "utf8"));
  assert.deepEqual(JSON.parse(out), sseChunks(await render(events)));
});

test("thoughts are left out of the stream unless the request asked for them", async () => {
  const chunks = sseChunks(await render(events, { includeThoughts: false })) as Array<{ candidates: Array<{ content: { parts: Array<{ thought?: boolean }> } }> }>;
  assert.equal(chunks.length, 4);
  assert.ok(chunks.every((c) => c.candidates[0]!.content.parts.every((p) => p.thought !== true)));
});

test("every chunk has a non-empty part, so Google's chat keeps the turn; a reply with nothing in it still ends with finishReason", async () => {
  const out = sseChunks(await render([
    { type: "start", inputTokens: 3, cachedTokens: 0 },
    { type: "end", stopReason: "max_tokens", usage: { inputTokens: 3, cachedTokens: 0, outputTokens: 5 } },
  ]));
  assert.deepEqual(out, [{
    candidates: [{ content: { role: "model", parts: [{ text: "" }] }, finishReason: "MAX_TOKENS", index: 0 }],
    usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 5, totalTokenCount: 8 },
    modelVersion: "gemini-2.5-flash",
    responseId: "resp_test",
  }]);
});

test("several candidates: chunks carry their index, each ends with its finishReason, the last with the usage of all", async () => {
  const end = (outputTokens: number): ChatEvent => ({ type: "end", stopReason: "end_turn", usage: { inputTokens: 5, cachedTokens: 0, outputTokens } });
  const out = sseChunks(await render([
    { index: 0, value: { type: "start", inputTokens: 5, cachedTokens: 0 } },
    { index: 1, value: { type: "start", inputTokens: 5, cachedTokens: 0 } },
    { index: 1, value: { type: "block_start", index: 0, kind: "text" } },
    { index: 1, value: { type: "text_delta", index: 0, text: "b" } },
    { index: 1, value: { type: "block_end", index: 0 } },
    { index: 1, value: end(2) },
    { index: 0, value: { type: "block_start", index: 0, kind: "text" } },
    { index: 0, value: { type: "text_delta", index: 0, text: "a" } },
    { index: 0, value: { type: "block_end", index: 0 } },
    { index: 0, value: end(4) },
  ], { candidates: 2 })) as Array<{ candidates: Array<{ index: number; finishReason?: string }>; usageMetadata?: unknown }>;
  assert.deepEqual(out.map((c) => [c.candidates[0]!.index, c.candidates[0]!.finishReason ?? null, c.usageMetadata !== undefined]), [
    [1, null, false], [1, "STOP", false], [0, null, false], [0, "STOP", true],
  ]);
  assert.deepEqual(out[3]!.usageMetadata, { promptTokenCount: 5, candidatesTokenCount: 6, totalTokenCount: 11 });
});

test("an error after the stream began is Google's error object in the stream, and the array still closes", async () => {
  const failing: ChatEvent[] = [
    { type: "start", inputTokens: 1, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "text" },
    { type: "text_delta", index: 0, text: "x" },
    { type: "error", error: new GatewayError("overloaded", "busy") },
  ];
  const error = { error: { code: 503, message: "busy", status: "UNAVAILABLE" } };
  assert.deepEqual(sseChunks(await render(failing)).at(-1), error);
  const array = JSON.parse(await render(failing, { framing: "json-array" })) as unknown[];
  assert.equal(array.length, 2);
  assert.deepEqual(array[1], error);
});

test("log-probabilities ride on the chunk of their text when asked for", async () => {
  const logprobs = [{ token: "x", bytes: [120], logprob: -0.25, top: [] }];
  const out = sseChunks(await render([
    { type: "start", inputTokens: 1, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "text" },
    { type: "text_delta", index: 0, text: "x", logprobs },
    { type: "block_end", index: 0 },
    { type: "end", stopReason: "end_turn", usage: { inputTokens: 1, cachedTokens: 0, outputTokens: 1 } },
  ], { logprobs: true })) as Array<{ candidates: Array<{ logprobsResult?: unknown }> }>;
  assert.deepEqual(out[0]!.candidates[0]!.logprobsResult, { chosenCandidates: [{ token: "x", logProbability: -0.25 }], topCandidates: [{ candidates: [] }] });
});

test("streamed, a call cut off by max tokens is left out too", async () => {
  const cut: ChatEvent[] = [
    { type: "start", inputTokens: 3, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "tool_call", toolCallId: "c", name: "f" },
    { type: "tool_args_delta", index: 0, json: "{\"a\":" },
    { type: "block_end", index: 0 },
    { type: "end", stopReason: "max_tokens", usage: { inputTokens: 3, cachedTokens: 0, outputTokens: 4 } },
  ];
  const frames = await render(cut);
  assert.ok(!frames.includes("functionCall"), frames);
  assert.ok(frames.includes("MAX_TOKENS"), frames);
});
