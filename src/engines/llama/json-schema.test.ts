import assert from "node:assert/strict";
import { test } from "node:test";
import type { GbnfJsonSchema } from "node-llama-cpp";
import { grammarForm, toGrammarSchema } from "./json-schema.js";

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

test("a maximum count past what the grammar parser writes out is left out, reported as unenforced", () => {
  const { schema, unsupported } = toGrammarSchema({ type: "object", properties: { s: { type: "string", maxLength: 5000, minLength: 2 }, l: { type: "array", maxItems: 1000 } } });
  assert.deepEqual(schema, { type: "object", properties: { s: { type: "string", minLength: 2 }, l: { type: "array", maxItems: 1000 } } });
  assert.deepEqual(unsupported, ["properties.s.maxLength above 1000"]);
});

test("grammarForm drops what only describes, sorts keywords, keeps property order, and adds up the counts", () => {
  const a = grammarForm({ type: "object", description: "x", properties: { z: { type: "string", description: "d", maxLength: 5 }, description: { type: "integer" } } } as GbnfJsonSchema);
  const b = grammarForm({ properties: { z: { maxLength: 5, type: "string" }, description: { type: "integer" } }, type: "object" } as GbnfJsonSchema);
  assert.equal(a.json, b.json);
  assert.equal(a.json, JSON.stringify({ properties: { z: { maxLength: 5, type: "string" }, description: { type: "integer" } }, type: "object" }));
  assert.equal(a.counts, 5);
  const reordered = grammarForm({ type: "object", properties: { description: { type: "integer" }, z: { type: "string", maxLength: 5 } } } as GbnfJsonSchema);
  assert.notEqual(reordered.json, a.json);
  assert.deepEqual(grammarForm({ enum: [{ description: "kept" }] } as unknown as GbnfJsonSchema).schema, { enum: [{ description: "kept" }] });
});
