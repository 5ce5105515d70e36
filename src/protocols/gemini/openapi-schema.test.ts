import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { validate } from "../validate.js";
import { openApiSchemaField, openApiToJsonSchema } from "./openapi-schema.js";

const convert = (schema: unknown) => {
  const out = openApiToJsonSchema(schema);
  assert.ok("schema" in out, JSON.stringify(out));
  return out.schema;
};

test("upper-case OpenAPI types become JSON Schema's, in any case, recursively", () => {
  // The function-calling guide's example, as Google writes it.
  const schema = convert({
    type: "OBJECT",
    properties: {
      location: { type: "STRING", description: "The city and state, e.g. San Francisco, CA" },
      unit: { type: "string", enum: ["celsius", "fahrenheit"] },
      days: { type: "INTEGER", minimum: 1, maximum: 10 },
      hourly: { type: "BOOLEAN" },
      temps: { type: "ARRAY", items: { type: "NUMBER" }, minItems: "1", maxItems: "24" },
    },
    required: ["location"],
  });
  assert.deepEqual(schema, {
    type: "object",
    properties: {
      location: { type: "string", description: "The city and state, e.g. San Francisco, CA" },
      unit: { type: "string", enum: ["celsius", "fahrenheit"] },
      days: { type: "integer", minimum: 1, maximum: 10 },
      hourly: { type: "boolean" },
      temps: { type: "array", items: { type: "number" }, minItems: 1, maxItems: 24 },
    },
    required: ["location"],
  });
});

test("nullable becomes a type list with null, and null joins an enum or an anyOf", () => {
  assert.deepEqual(convert({ type: "STRING", nullable: true }), { type: ["string", "null"] });
  assert.deepEqual(convert({ type: "STRING", enum: ["a", "b"], nullable: true }), { type: ["string", "null"], enum: ["a", "b", null] });
  assert.deepEqual(convert({ anyOf: [{ type: "STRING" }, { type: "INTEGER" }], nullable: true }), { anyOf: [{ type: "string" }, { type: "integer" }, { type: "null" }] });
  assert.deepEqual(convert({ type: "NULL" }), { type: "null" });
  assert.deepEqual(convert({ type: "BOOLEAN", nullable: false }), { type: "boolean" });
});

test("propertyOrdering orders the properties and is dropped; unlisted ones follow in their order", () => {
  const schema = convert({ type: "OBJECT", properties: { b: { type: "STRING" }, c: { type: "STRING" }, a: { type: "STRING" } }, propertyOrdering: ["a", "b"] });
  assert.deepEqual(Object.keys(schema.properties as object), ["a", "b", "c"]);
  assert.equal("propertyOrdering" in schema, false);
});

test("an INTEGER enum of strings becomes numbers; OpenAPI's data-type formats are dropped, date formats kept", () => {
  // The reference's own example: {type: INTEGER, format: enum, enum: ["101", "201", "301"]}.
  assert.deepEqual(convert({ type: "INTEGER", format: "enum", enum: ["101", "201", "301"] }), { type: "integer", enum: [101, 201, 301] });
  assert.deepEqual(convert({ type: "STRING", format: "enum", enum: ["EAST", "WEST"] }), { type: "string", enum: ["EAST", "WEST"] });
  assert.deepEqual(convert({ type: "NUMBER", format: "double" }), { type: "number" });
  assert.deepEqual(convert({ type: "STRING", format: "date-time" }), { type: "string", format: "date-time" });
  assert.deepEqual(convert({ type: "STRING", format: "email" }), { type: "string" });
});

test("annotations are kept, `example` as `examples`, and keywords outside the subset left out", () => {
  assert.deepEqual(convert({ type: "STRING", title: "T", default: "x", example: "y", pattern: "^a", minLength: "2", additionalProperties: false }), {
    type: "string", title: "T", pattern: "^a", default: "x", examples: ["y"], minLength: 2,
  });
  assert.deepEqual(convert({ type: "TYPE_UNSPECIFIED" }), {});
});

test("a malformed schema names where", () => {
  assert.deepEqual(openApiToJsonSchema({ type: "OBJECT", properties: { a: { type: "TEXT" } } }), {
    issue: { path: ["properties", "a", "type"], message: "must be one of STRING, NUMBER, INTEGER, BOOLEAN, ARRAY, OBJECT, NULL, TYPE_UNSPECIFIED" },
  });
  assert.deepEqual(openApiToJsonSchema({ type: "ARRAY", items: { type: "STRING", maxLength: "many" } }), { issue: { path: ["items", "maxLength"], message: "must be a number" } });
  assert.deepEqual(openApiToJsonSchema({ anyOf: [{ type: "STRING" }, 3] }), { issue: { path: ["anyOf", 1], message: "must be a schema object" } });
});

test("as a field, the converted schema is held to the schema bounds and errors carry the field's path", () => {
  const body = z.looseObject({ parameters: openApiSchemaField });
  let deep: Record<string, unknown> = { type: "STRING" };
  for (let i = 0; i < 12; i++) deep = { type: "OBJECT", properties: { a: deep } };
  assert.throws(() => validate(body, { parameters: deep }), { kind: "invalid_request", reason: "input_limit" });
  assert.throws(() => validate(body, { parameters: { type: "OBJECT", properties: { a: { type: "WORD" } } } }), { param: "parameters.properties.a.type" });
  assert.deepEqual(validate(body, { parameters: { type: "OBJECT" } }).parameters, { type: "object" });
});
