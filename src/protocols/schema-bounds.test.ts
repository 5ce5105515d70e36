import assert from "node:assert/strict";
import { test } from "node:test";
import { schemaExcess } from "./schema-bounds.js";

const limits = { depth: 2, properties: 3, enumValues: 4, chars: 30 };

test("a schema within the bounds passes, combinators adding no level", () => {
  const schema = { type: "object", properties: { a: { anyOf: [{ type: "array", items: { type: "string", enum: ["x", "y"] } }, { type: "null" }] } } };
  assert.equal(schemaExcess(schema, limits), undefined);
});

test("nesting past the depth is found, with the path to it", () => {
  const excess = schemaExcess({ properties: { a: { items: { items: { type: "string" } } } } }, limits);
  assert.deepEqual(excess?.path, ["properties", "a", "items", "items"]);
  assert.match(excess?.message ?? "", /more than 2 levels/);
  assert.ok(schemaExcess({ $defs: { a: { properties: { b: { items: {} } } } } }, limits));
});

test("properties, enum values and characters are counted across the whole schema", () => {
  assert.match(schemaExcess({ properties: { a: {}, b: { properties: { c: {}, d: {} } } } }, limits)?.message ?? "", /more than 3 properties/);
  assert.match(schemaExcess({ anyOf: [{ enum: [1, 2, 3] }, { enum: ["a", "b"] }] }, limits)?.message ?? "", /more than 4 enum values/);
  assert.match(schemaExcess({ properties: { ["p".repeat(20)]: { const: "c".repeat(11) } } }, limits)?.message ?? "", /more than 30 characters/);
});
