import assert from "node:assert/strict";
import { test } from "node:test";
import { toGrammarSchema } from "./json-schema.js";

test("keeps what the grammar enforces, drops annotations, and turns anyOf into oneOf", () => {
  const { schema, unsupported } = toGrammarSchema({
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    title: "Args",
    properties: { city: { type: "string", maxLength: 20, default: "Paris" }, unit: { anyOf: [{ const: "c" }, { type: "null" }] } },
    required: ["city"],
    additionalProperties: false,
  });
  assert.deepEqual(schema, {
    type: "object",
    properties: { city: { type: "string", maxLength: 20 }, unit: { oneOf: [{ const: "c" }, { type: "null" }] } },
    required: ["city"],
    additionalProperties: false,
  });
  assert.deepEqual(unsupported, []);
});

test("reports every constraint it cannot enforce by its path", () => {
  const { unsupported } = toGrammarSchema({
    type: "object",
    properties: { n: { type: "integer", minimum: 0 }, s: { type: "string", pattern: "^a" }, l: { type: "array", items: { not: {} } } },
    definitions: { x: { allOf: [] } },
  });
  assert.deepEqual(unsupported, ["properties.n.minimum", "properties.s.pattern", "properties.l.items.not", "definitions.x.allOf"]);
});

test("rewrites draft-07 definitions references to $defs", () => {
  const { schema } = toGrammarSchema({ type: "object", properties: { a: { $ref: "#/definitions/x" } }, definitions: { x: { type: "integer" } } });
  assert.deepEqual(schema, { type: "object", properties: { a: { $ref: "#/$defs/x" } }, $defs: { x: { type: "integer" } } });
});
