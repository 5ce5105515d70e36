import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatEvent } from "../../../core/chat-event.js";
import { collect } from "../../../core/collect.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { emptyChatRequest } from "../../../core/chat-request.js";
import { buildResponsesRequest } from "./build-request.js";
import { ResponsesStreamParser } from "./parse-stream.js";
import { echoRequest } from "./render-response.js";
import { renderResponseStream } from "./render-stream.js";
import { responsesRequest } from "./schema.js";

const turn: ChatEvent[] = [
  { type: "start", inputTokens: 7, cachedTokens: 2 },
  { type: "block_start", index: 0, kind: "thinking" },
  { type: "thinking_delta", index: 0, text: "hmm" },
  { type: "block_end", index: 0 },
  { type: "block_start", index: 1, kind: "text" },
  { type: "text_delta", index: 1, text: "Calling." },
  { type: "block_end", index: 1 },
  { type: "block_start", index: 2, kind: "tool_call", toolCallId: "call_1", name: "f" },
  { type: "tool_args_delta", index: 2, json: '{"a":1}' },
  { type: "block_end", index: 2 },
  { type: "end", stopReason: "tool_use", usage: { inputTokens: 7, cachedTokens: 2, outputTokens: 4, thinkingTokens: 1 } },
];

async function* parsed(frames: AsyncIterable<string>): AsyncGenerator<ChatEvent> {
  const parser = new ResponsesStreamParser();
  for await (const frame of frames) {
    const data = frame.split("\n").find((line) => line.startsWith("data: "))!.slice(6);
    yield* parser.feed(JSON.parse(data));
  }
  yield* parser.finish();
}

test("a Responses stream parses back into the events it was rendered from", async () => {
  async function* source(): AsyncGenerator<ChatEvent> { yield* turn; }
  const options = { id: "resp_x", createdAt: 0, echo: echoRequest(responsesRequest.parse({ model: "m" })), toolNames: new Map() };
  const { timing: _parsed, ...result } = await collect(parsed(renderResponseStream(source(), options)));
  const { timing: _direct, ...direct } = await collect((async function* () { yield* turn; })());
  assert.deepEqual(result, direct);
});

test("response.failed upstream becomes a GatewayError of the matching kind; a cut stream is an upstream error", () => {
  const parser = new ResponsesStreamParser();
  assert.throws(() => parser.feed({ type: "response.failed", sequence_number: 3, response: { error: { code: "server_is_overloaded", message: "busy" } } } as never),
    (e: unknown) => e instanceof GatewayError && e.kind === "overloaded");
  assert.throws(() => new ResponsesStreamParser().finish(), (e: unknown) => e instanceof GatewayError && e.kind === "upstream");
});

test("the built request carries the conversation as Responses items, tools flat, never stored upstream", () => {
  const request = emptyChatRequest("m");
  request.system = [{ type: "text", text: "sys" }];
  request.messages = [
    { role: "user", content: [{ type: "text", text: "hi" }] },
    { role: "assistant", content: [{ type: "thinking", text: "t" }, { type: "tool_call", id: "call_1", name: "f", arguments: { a: 1 } }] },
    { role: "tool", content: [{ type: "tool_result", toolCallId: "call_1", content: [{ type: "text", text: "r" }] }] },
  ];
  request.tools = [{ name: "f", parameters: { type: "object" } }];
  request.toolChoice = { type: "tool", name: "f" };
  request.thinking = { enabled: false };
  const body = buildResponsesRequest(request, "up");
  assert.equal(body.instructions, "sys");
  assert.equal(body.store, false);
  assert.deepEqual(body.input, [
    { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] },
    { type: "function_call", call_id: "call_1", name: "f", arguments: '{"a":1}' },
    { type: "function_call_output", call_id: "call_1", output: "r" },
  ]);
  assert.deepEqual(body.tool_choice, { type: "function", name: "f" });
  assert.deepEqual(body.reasoning, { effort: "none" });
});
