import assert from "node:assert/strict";
import { test } from "node:test";
import { schemaExcess } from "./schema-bounds.js";

const limits = { depth: 2, properties: 3, enumValues: 4, chars: 30, count: 10, counts: 25 };

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

test("a NUL in a property name, an enum value or a const is refused where it is; other control characters pass", () => {
  assert.deepEqual(schemaExcess({ type: "object", properties: { ok: { properties: { "a\u0000b": {} } } } })?.path, ["properties", "ok", "properties", "a\u0000b"]);
  assert.deepEqual(schemaExcess({ anyOf: [{ enum: ["x", "y\u0000"] }] })?.path, ["anyOf", 0, "enum", 1]);
  assert.deepEqual(schemaExcess({ const: "\u0000" })?.path, ["const"]);
  assert.match(schemaExcess({ enum: ["\u0000"] })?.message ?? "", /NUL character/);
  assert.equal(schemaExcess({ type: "object", properties: { "a\u0001\n\t\u001f\u007f": { enum: ["\u001b", "\r"] } } }), undefined);
});

test("each minimum count is a non-negative integer within the bound, and the counts together within theirs", () => {
  assert.equal(schemaExcess({ type: "array", minItems: 10, maxItems: 10 }, limits), undefined);
  for (const key of ["minItems", "minLength", "minProperties"]) {
    const excess = schemaExcess({ properties: { a: { [key]: 11 } } }, limits);
    assert.deepEqual(excess?.path, ["properties", "a", key]);
    assert.match(excess?.message ?? "", /more than 10/);
  }
  for (const bad of [-1, 1.5, "3", null]) assert.match(schemaExcess({ type: "string", maxLength: bad }, limits)?.message ?? "", /non-negative integer/);
  assert.match(schemaExcess({ properties: { a: { maxLength: 9 }, b: { minLength: 9 }, c: { maxItems: 9 } } }, limits)?.message ?? "", /adding up to more than 25/);
  assert.match(schemaExcess({ type: "array", items: { type: "string" }, minItems: 3000 })?.message ?? "", /more than 1000/);
});

test("a maximum past the bound passes, and adds nothing to the counts: the grammar leaves it out", () => {
  for (const key of ["maxItems", "maxLength", "maxProperties"]) assert.equal(schemaExcess({ properties: { a: { [key]: 10_000 } } }, limits), undefined);
  assert.equal(schemaExcess({ properties: { a: { maxLength: 9 }, b: { maxLength: 9 }, c: { maxItems: 10_000 } } }, limits), undefined);
});

test("enum and const values the grammar cannot write, and subschemas that are not schemas, are refused by path", () => {
  assert.deepEqual(schemaExcess({ enum: ["a", { b: 1 }] })?.path, ["enum", 1]);
  assert.deepEqual(schemaExcess({ const: [1] })?.path, ["const"]);
  assert.deepEqual(schemaExcess({ enum: "a" })?.path, ["enum"]);
  assert.deepEqual(schemaExcess({ type: "object", properties: { a: null } })?.path, ["properties", "a"]);
  assert.deepEqual(schemaExcess({ oneOf: [{}, 3] })?.path, ["oneOf", 1]);
  assert.deepEqual(schemaExcess({ type: "array", prefixItems: 5 })?.path, ["prefixItems"]);
  assert.equal(schemaExcess({ type: "array", items: [{ type: "string" }], additionalProperties: false, properties: { a: true }, enum: [1, "x", true, null] }), undefined);
});

test("a $ref cycle that comes back before writing anything is refused at the definition", () => {
  const refused = [
    { $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" },
    { $defs: { a: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" },
    { $defs: { a: { anyOf: [{ type: "null" }, { $ref: "#/$defs/a" }] } }, $ref: "#/$defs/a" },
    { type: "object", properties: { x: { $ref: "#/definitions/a" } }, definitions: { a: { oneOf: [{ $ref: "#/definitions/a" }] } } },
  ];
  for (const schema of refused) {
    const excess = schemaExcess(schema);
    assert.match(excess?.message ?? "", /refers back to itself/, JSON.stringify(schema));
    assert.equal(excess?.path.at(-1), "a");
  }
});

test("a $ref cycle with no finite value is refused; recursion with a way out passes", () => {
  const endless = [
    { $defs: { a: { type: "object", properties: { x: { $ref: "#/$defs/a" } } } }, $ref: "#/$defs/a" },
    { $defs: { a: { type: "array", items: { $ref: "#/$defs/a" }, minItems: 1 } }, type: "object", properties: { list: { $ref: "#/$defs/a" } } },
    { $defs: { a: { type: "object", properties: { b: { $ref: "#/$defs/b" } } }, b: { anyOf: [{ $ref: "#/$defs/a" }, { type: "array", prefixItems: [{ $ref: "#/$defs/b" }] }] } }, $ref: "#/$defs/b" },
  ];
  for (const schema of endless) assert.match(schemaExcess(schema)?.message ?? "", /no finite value/, JSON.stringify(schema));
  const finite = [
    { $defs: { n: { type: "object", properties: { children: { type: "array", items: { $ref: "#/$defs/n" } } } } }, $ref: "#/$defs/n" },
    { type: "object", properties: { head: { $ref: "#/definitions/node" } }, definitions: { node: { type: "object", properties: { next: { anyOf: [{ $ref: "#/definitions/node" }, { type: "null" }] } } } } },
    { $defs: { a: { type: "object", properties: { x: { $ref: "#/$defs/a" } } } }, type: "object", properties: { maybe: { anyOf: [{ type: "null" }, { $ref: "#/$defs/a" }] } } },
    { $ref: "#/$defs/missing" },
  ];
  for (const schema of finite) assert.equal(schemaExcess(schema), undefined, JSON.stringify(schema));
});

test("a chain of thousands of definitions is followed without recursion", () => {
  const $defs = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`d${i}`, { $ref: `#/$defs/d${(i + 1) % 10_000}` }]));
  assert.match(schemaExcess({ $defs, $ref: "#/$defs/d0" })?.message ?? "", /refers back to itself/);
  const objects = Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`d${i}`, { type: "object", properties: { x: { $ref: `#/$defs/d${(i + 1) % 4000}` } } }]));
  assert.match(schemaExcess({ $defs: objects, $ref: "#/$defs/d0" })?.message ?? "", /no finite value/);
});
