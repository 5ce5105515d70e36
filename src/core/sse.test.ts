import assert from "node:assert/strict";
import { test } from "node:test";
import { sseFrame, sseRawFrame } from "./sse.js";

test("frames JSON data on one line, with an event line when named", () => {
  assert.equal(sseFrame({ a: "x\ny" }), 'data: {"a":"x\\ny"}\n\n');
  assert.equal(sseFrame({ type: "ping" }, "ping"), 'event: ping\ndata: {"type":"ping"}\n\n');
});

test("frames raw data as is", () => {
  assert.equal(sseRawFrame("[DONE]"), "data: [DONE]\n\n");
});
