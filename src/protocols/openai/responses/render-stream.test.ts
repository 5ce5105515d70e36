import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import OpenAI from "openai";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import type { ChatEvent } from "../../../core/chat-event.js";
import { GatewayError } from "../../../core/gateway-error.js";
import type { Tick } from "../../../core/keep-alive.js";
import { decodeReasoning } from "./reasoning-blob.js";
import { echoRequest, type WireResponse } from "./render-response.js";
import { renderResponseStream, type StreamOptions } from "./render-stream.js";
import { responsesRequest } from "./schema.js";
import type { ToolNames } from "./tools.js";

const body = responsesRequest.parse({
  model: "qwen3-0.6b",
  input: "weather?",
  tools: [
    { type: "function", name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: true },
    { type: "custom", name: "apply_patch", description: "Apply a patch" },
  ],
});
const toolNames: ToolNames = new Map([
  ["get_weather", { name: "get_weather", custom: false }],
  ["apply_patch", { name: "apply_patch", custom: true }],
]);
const options = (extra: Partial<StreamOptions> = {}): StreamOptions => ({ id: "resp_test", createdAt: 1700000000, echo: echoRequest(body), toolNames, ...extra });

async function* source(events: ReadonlyArray<ChatEvent | Tick>): AsyncGenerator<ChatEvent | Tick> {
  for (const event of events) yield event;
}

async function render(events: ReadonlyArray<ChatEvent | Tick>, extra: Partial<StreamOptions> = {}): Promise<string> {
  let out = "";
  for await (const frame of renderResponseStream(source(events), options(extra))) out += frame;
  return out;
}

const parse = (sse: string): ResponseStreamEvent[] =>
  sse.split("\n\n").filter(Boolean).map((frame) => {
    const [event, data] = frame.split("\n");
    const parsed = JSON.parse(data!.slice("data: ".length)) as ResponseStreamEvent;
    assert.equal(event, `event: ${parsed.type}`);
    return parsed;
  });

/** The official SDK's stream helper reading `sse` as if a server had sent it: its SSE parsing, accumulation and checks. */
function sdkStream(sse: string) {
  const client = new OpenAI({
    apiKey: "unused",
    baseURL: "http://lals.test/v1",
    fetch: async () => new Response(sse, { headers: { "content-type": "text/event-stream" } }),
  });
  return client.responses.stream({ model: "qwen3-0.6b", input: "weather?" });
}

/** The SDK's own additions (parsed output for `responses.parse`) taken out, to compare with what was sent. */
const withoutParsed = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === "parsed" || key === "parsed_arguments" || key === "output_parsed" ? undefined : v)));

/** Ids and timestamps are random or the clock's: numbered by first appearance for the golden comparison. */
function normalize(sse: string): string {
  const seen = new Map<string, string>();
  return sse
    .replace(/"completed_at":\d+/g, '"completed_at":0')
    .replace(/\b(msg|fc|ctc|rs)_[A-Za-z0-9]{40}\b/g, (id, prefix: string) => {
      if (!seen.has(id)) seen.set(id, `${prefix}_${seen.size + 1}`);
      return seen.get(id)!;
    });
}

const usage = { inputTokens: 12, cachedTokens: 4, outputTokens: 9, thinkingTokens: 3 };
const turn: ChatEvent[] = [
  { type: "start", inputTokens: 12, cachedTokens: 4 },
  { type: "block_start", index: 0, kind: "thinking" },
  { type: "thinking_delta", index: 0, text: "The user " },
  { type: "thinking_delta", index: 0, text: "wants weather." },
  { type: "block_end", index: 0 },
  { type: "block_start", index: 1, kind: "text" },
  { type: "text_delta", index: 1, text: "Let me " },
  { type: "text_delta", index: 1, text: "check." },
  { type: "block_end", index: 1 },
  { type: "block_start", index: 2, kind: "tool_call", toolCallId: "abc", name: "get_weather" },
  { type: "tool_args_delta", index: 2, json: '{"city":' },
  { type: "tool_args_delta", index: 2, json: '"Paris"}' },
  { type: "block_end", index: 2 },
  { type: "end", stopReason: "tool_use", usage },
];

test("renders the golden transcript: created, in_progress, reasoning, message, function call, completed", async () => {
  const golden = readFileSync(new URL("./render-stream.golden.txt", import.meta.url), "utf8");
  assert.equal(normalize(await render(turn)), golden);
});

test("sequence numbers count from 0 by one, and every item keeps its id from added to completed", async () => {
  const events = parse(await render(turn));
  assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i));
  const added = events.flatMap((e) => (e.type === "response.output_item.added" ? [e.item.id] : []));
  const done = events.flatMap((e) => (e.type === "response.output_item.done" ? [e.item.id] : []));
  const completed = events.at(-1);
  assert.equal(completed?.type, "response.completed");
  assert.deepEqual(done, added);
  assert.deepEqual(completed.type === "response.completed" ? completed.response.output.map((i) => i.id) : [], added);
});

test("the official SDK's stream helper accepts the stream, and its final response is the completed one", async () => {
  const sse = await render(turn);
  const stream = sdkStream(sse);
  const seen: string[] = [];
  stream.on("event", (e) => seen.push(e.type));
  const final = await stream.finalResponse();
  const completed = parse(sse).at(-1);
  assert.ok(completed?.type === "response.completed");
  assert.deepEqual(withoutParsed(final), completed.response);
  assert.equal(final.output_text, "Let me check.");
  const call = final.output[2];
  assert.ok(call?.type === "function_call");
  assert.equal(call.arguments, '{"city":"Paris"}');
  assert.equal(call.call_id, "call_abc");
  assert.match(call.id ?? "", /^fc_/);
  assert.deepEqual(final.usage, { input_tokens: 12, input_tokens_details: { cached_tokens: 4, cache_write_tokens: 0 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 3 }, total_tokens: 21 });
  assert.equal(seen.length, parse(sse).length);
});

test("a custom tool call streams its free-text input and ends as a custom_tool_call item", async () => {
  const sse = await render([
    { type: "start", inputTokens: 3, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "tool_call", toolCallId: "call_x", name: "apply_patch" },
    { type: "tool_args_delta", index: 0, json: '{"input":"*** Begin' },
    { type: "tool_args_delta", index: 0, json: ' Patch"}' },
    { type: "block_end", index: 0 },
    { type: "end", stopReason: "tool_use", usage: { inputTokens: 3, cachedTokens: 0, outputTokens: 5 } },
  ]);
  const final = await sdkStream(sse).finalResponse();
  const item = final.output[0];
  assert.ok(item?.type === "custom_tool_call");
  assert.equal(item.input, "*** Begin Patch");
  assert.equal(item.call_id, "call_x");
  assert.match(item.id ?? "", /^ctc_/);
  const types = parse(sse).map((e) => e.type);
  assert.ok(!types.includes("response.function_call_arguments.delta"));
  assert.deepEqual(types.slice(-4), ["response.custom_tool_call_input.delta", "response.custom_tool_call_input.done", "response.output_item.done", "response.completed"]);
});

test("running out of max_output_tokens ends with response.incomplete and the cut item marked incomplete", async () => {
  const events = parse(await render([
    { type: "start", inputTokens: 3, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "text" },
    { type: "text_delta", index: 0, text: "Once upon" },
    { type: "block_end", index: 0 },
    { type: "end", stopReason: "max_tokens", usage: { inputTokens: 3, cachedTokens: 0, outputTokens: 2 } },
  ]));
  const last = events.at(-1);
  assert.ok(last?.type === "response.incomplete");
  assert.equal(last.response.status, "incomplete");
  assert.deepEqual(last.response.incomplete_details, { reason: "max_output_tokens" });
  const done = events.find((e) => e.type === "response.output_item.done");
  assert.ok(done?.type === "response.output_item.done" && done.item.type === "message");
  assert.equal(done.item.status, "incomplete");
  assert.deepEqual(last.response.output, [done.item]);
});

test("an error after the stream began is a response.failed with a meaningful code, never [DONE]", async () => {
  const finished: WireResponse[] = [];
  const sse = await render([
    { type: "start", inputTokens: 3, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "text" },
    { type: "text_delta", index: 0, text: "Hal" },
    { type: "error", error: new GatewayError("overloaded", "All slots are busy") },
  ], { onFinish: (r) => finished.push(r) });
  assert.ok(!sse.includes("[DONE]"));
  const last = parse(sse).at(-1);
  assert.ok(last?.type === "response.failed");
  assert.equal(last.response.status, "failed");
  assert.equal(last.response.error?.code, "server_is_overloaded");
  assert.equal(last.response.output[0]?.type === "message" && last.response.output[0].status, "incomplete");
  assert.equal(finished[0]?.id, "resp_test");

  const tooLong = parse(await render([{ type: "error", error: new GatewayError("invalid_request", "The prompt is 9000 tokens long, but the model's context holds 4096 tokens.") }])).at(-1);
  assert.ok(tooLong?.type === "response.failed");
  assert.equal(tooLong.response.error?.code, "context_length_exceeded");
});

test("keep-alive ticks become response.in_progress frames only before the first item", async () => {
  const tick: Tick = { type: "tick" };
  const types = parse(await render([
    { type: "start", inputTokens: 3, cachedTokens: 0 }, tick, tick,
    { type: "block_start", index: 0, kind: "text" }, tick,
    { type: "text_delta", index: 0, text: "Hi" },
    { type: "block_end", index: 0 },
    { type: "end", stopReason: "end_turn", usage: { inputTokens: 3, cachedTokens: 0, outputTokens: 1 } },
  ])).map((e) => e.type);
  assert.deepEqual(types.slice(0, 5), ["response.created", "response.in_progress", "response.in_progress", "response.in_progress", "response.output_item.added"]);
  assert.equal(types.filter((t) => t === "response.in_progress").length, 3);
});

test("with include reasoning.encrypted_content, reasoning items carry a blob that decodes to their text", async () => {
  const key = randomBytes(32);
  const final = await sdkStream(await render(turn, { reasoningKey: key })).finalResponse();
  const reasoning = final.output[0];
  assert.ok(reasoning?.type === "reasoning");
  assert.equal(decodeReasoning(reasoning.encrypted_content ?? "", key), "The user wants weather.");
});
