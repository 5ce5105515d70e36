import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { GatewayError } from "../core/gateway-error.js";
import { jsonSchemaField, modelField, stopSequences, stopStringOrList, textOrParts } from "./bounded-fields.js";
import { LIMITS } from "./limits.js";
import { validate } from "./validate.js";

function refusal(schema: z.ZodType, body: object): GatewayError {
  try {
    validate(schema, body);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail("accepted");
}

test("a bound passed is an invalid_request naming the field and the limit, with the reason input_limit", () => {
  const schema = z.object({ stop: stopStringOrList(4) });
  const long = refusal(schema, { stop: "x".repeat(LIMITS.stopChars + 1) });
  assert.equal(long.param, "stop");
  assert.equal(long.reason, "input_limit");
  assert.match(long.message, /at most 256 characters per stop sequence/);
  assert.equal(refusal(schema, { stop: ["a", "x".repeat(300)] }).param, "stop[1]");
  assert.match(refusal(schema, { stop: ["a", "b", "c", "d", "e"] }).message, /^stop: at most 4 stop sequences/);
  assert.match(refusal(z.object({ s: stopSequences(2) }), { s: ["a", "b", "c"] }).message, /^s: at most 2 stop sequences/);
  assert.equal(refusal(z.object({ model: modelField }), { model: "m".repeat(257) }).reason, "input_limit");
  const parts = refusal(z.object({ content: textOrParts(z.string()) }), { content: Array.from({ length: LIMITS.contentParts + 1 }, () => "x") });
  assert.match(parts.message, /^content: at most 1000 content parts/);
  const schemaError = refusal(z.object({ schema: jsonSchemaField }), { schema: { properties: { a: { enum: Array.from({ length: 1001 }, (_, i) => i) } } } });
  assert.equal(schemaError.param, "schema.properties.a");
});

test("an ordinary invalid value keeps the kind's reason, numbers out of range included", () => {
  assert.equal(refusal(z.object({ t: z.number().max(2) }), { t: 3 }).reason, undefined);
  assert.equal(refusal(z.object({ stop: stopStringOrList(4) }), { stop: 5 }).reason, undefined);
});

test("validation stops at the first bad item instead of reporting one issue per item", () => {
  let visited = 0;
  const item = z.preprocess((value) => { visited += 1; return value; }, z.string());
  assert.equal(refusal(z.object({ list: z.array(item) }), { list: Array.from({ length: 10_000 }, () => 1) }).param, "list[0]");
  assert.equal(visited, 1);
});
