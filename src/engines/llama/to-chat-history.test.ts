import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyChatRequest, type ChatMessage } from "../../core/chat-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { toChatHistory } from "./to-chat-history.js";

const request = (messages: ChatMessage[], system?: string) => ({
  ...emptyChatRequest("m"),
  messages,
  system: system === undefined ? [] : [{ type: "text" as const, text: system }],
});
const text = (t: string) => ({ type: "text" as const, text: t });

test("ends with an empty model response to answer the last user turn", () => {
  assert.deepEqual(toChatHistory(request([{ role: "user", content: [text("a"), text("b")] }], "sys")), [
    { type: "system", text: "sys" },
    { type: "user", text: "a\nb" },
    { type: "model", response: [] },
  ]);
});

test("lets the model continue a trailing assistant turn", () => {
  const history = toChatHistory(request([{ role: "user", content: [text("q")] }, { role: "assistant", content: [text("The answer is")] }]));
  assert.deepEqual(history.at(-1), { type: "model", response: ["The answer is"] });
});

test("pairs tool calls with their results, and the model continues its response after them", () => {
  const history = toChatHistory(request([
    { role: "user", content: [text("q")] },
    { role: "assistant", content: [{ type: "thinking", text: "t" }, { type: "tool_call", id: "c1", name: "f", arguments: { a: 1 } }] },
    { role: "tool", content: [{ type: "tool_result", toolCallId: "c1", content: [text("42")], isError: true }] },
  ]));
  assert.deepEqual(history[1], {
    type: "model",
    response: [
      { type: "segment", segmentType: "thought", text: "t", ended: true },
      { type: "functionCall", name: "f", params: { a: 1 }, result: "Error: 42" },
    ],
  });
  assert.equal(history.length, 2);
});

test("refuses images and results for calls never made", () => {
  assert.throws(() => toChatHistory(request([{ role: "user", content: [{ type: "image", url: "http://x" }] }])),
    (e: unknown) => e instanceof GatewayError && e.param === "messages[0].content");
  assert.throws(() => toChatHistory(request([{ role: "tool", content: [{ type: "tool_result", toolCallId: "zz", content: [] }] }])),
    (e: unknown) => e instanceof GatewayError && e.kind === "invalid_request");
});
