import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../core/gateway-error.js";
import { checkJsonBounds } from "./json-bounds.js";

const bounds = { depth: 3, items: 4, textChars: 20 };

function refusal(body: unknown): GatewayError {
  try {
    checkJsonBounds(body, bounds);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail("accepted");
}

test("a body within every bound passes", () => {
  checkJsonBounds({ a: [1, 2, { b: "x" }], c: null }, bounds);
  checkJsonBounds("short", bounds);
});

test("nesting past the depth is refused naming where, even a hundred thousand levels deep", () => {
  const error = refusal({ a: [[["too deep"]]] });
  assert.equal(error.param, "a[0][0]");
  assert.equal(error.reason, "input_limit");
  assert.match(error.message, /more than 3 levels/);
  let deep: unknown = [];
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.equal(refusal(deep).kind, "invalid_request");
});

test("an array or object with too many items is refused before its items are looked at", () => {
  assert.equal(refusal({ list: [1, 2, 3, 4, 5] }).param, "list");
  assert.match(refusal({ o: { a: 1, b: 2, c: 3, d: 4, e: 5 } }).message, /^o holds 5 keys, above this server's limit of 4/);
});

test("too much text in all is a 413, keys counted", () => {
  const error = refusal({ a: "x".repeat(10), b: "y".repeat(11) });
  assert.equal(error.kind, "request_too_large");
  assert.equal(refusal({ ["k".repeat(21)]: 1 }).kind, "request_too_large");
  assert.equal(refusal("x".repeat(21)).kind, "request_too_large");
});
