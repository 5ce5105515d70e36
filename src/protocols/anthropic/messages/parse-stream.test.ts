import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../../core/gateway-error.js";
import { MessagesStreamParser } from "./parse-stream.js";

type Feed = Parameters<MessagesStreamParser["feed"]>[0];
const usage = { input_tokens: 4, cache_read_input_tokens: 6, cache_creation_input_tokens: 0, output_tokens: 0 };

test("maps the Messages events to canonical ones, renumbering around blocks it leaves out", () => {
  const parser = new MessagesStreamParser();
  const feed = (e: object) => parser.feed(e as Feed);
  const events = [
    ...feed({ type: "message_start", message: { usage } }),
    ...feed({ type: "content_block_start", index: 0, content_block: { type: "redacted_thinking", data: "x" } }),
    ...feed({ type: "content_block_stop", index: 0 }),
    ...feed({ type: "content_block_start", index: 1, content_block: { type: "text", text: "" } }),
    ...feed({ type: "ping" }),
    ...feed({ type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "Hi" } }),
    ...feed({ type: "content_block_stop", index: 1 }),
    ...feed({ type: "content_block_start", index: 2, content_block: { type: "tool_use", id: "toolu_1", name: "f", input: {} } }),
    ...feed({ type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: "{}" } }),
    ...feed({ type: "content_block_stop", index: 2 }),
    ...feed({ type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 7 } }),
    ...feed({ type: "message_stop" }),
  ];
  assert.deepEqual(events, [
    { type: "start", inputTokens: 10, cachedTokens: 6 },
    { type: "block_start", index: 0, kind: "text" },
    { type: "text_delta", index: 0, text: "Hi" },
    { type: "block_end", index: 0 },
    { type: "block_start", index: 1, kind: "tool_call", toolCallId: "toolu_1", name: "f" },
    { type: "tool_args_delta", index: 1, json: "{}" },
    { type: "block_end", index: 1 },
    { type: "end", stopReason: "tool_use", usage: { inputTokens: 10, cachedTokens: 6, outputTokens: 7 } },
  ]);
});

test("an error event becomes the matching GatewayError", () => {
  assert.throws(() => new MessagesStreamParser().feed({ type: "error", error: { type: "overloaded_error", message: "busy" } }),
    (e: unknown) => e instanceof GatewayError && e.kind === "overloaded" && e.message === "Upstream: busy");
});
