import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { GbnfJsonSchema, Llama, LlamaJsonSchemaGrammar } from "node-llama-cpp";
import pino from "pino";
import { GatewayError } from "../../core/gateway-error.js";
import { LIMITS } from "../../protocols/limits.js";
import { Grammars, grammarsOf } from "./grammars.js";
import { loadLlama } from "./load-model.js";

let llama: Llama;
before(async () => {
  llama = await loadLlama(pino({ level: "silent" }));
});

const schema = (value: object): { kind: "schema"; schema: GbnfJsonSchema } => ({ kind: "schema", schema: value as GbnfJsonSchema });
const person = (description: string, extra: object = {}) => schema({
  type: "object",
  description,
  ...extra,
  properties: { name: { type: "string", description: `${description} name`, title: "Name" }, description: { type: "integer", examples: [1] } },
});

test("schemas that differ only in descriptions, titles, examples and keyword order share one compiled grammar", async () => {
  const grammars = new Grammars(llama);
  const first = await grammars.get(person("a person"));
  const second = await grammars.get(person("someone else entirely", { title: "Person", $comment: "x", default: {} }));
  const reordered = await grammars.get(schema({ properties: { name: { type: "string" }, description: { type: "integer" } }, type: "object" }));
  assert.equal(second, first);
  assert.equal(reordered, first);
  assert.equal(grammars.entries, 1);
  // A property named `description` is a property, not an annotation.
  assert.match(first.grammar, /description/);
});

test("property order is kept, since the grammar writes properties in it", async () => {
  const grammars = new Grammars(llama);
  const ab = await grammars.get(schema({ type: "object", properties: { a: { type: "string" }, b: { type: "integer" } } }));
  const ba = await grammars.get(schema({ type: "object", properties: { b: { type: "integer" }, a: { type: "string" } } }));
  assert.notEqual(ab, ba);
  assert.ok(ab.grammar.indexOf('\\"a\\"') < ab.grammar.indexOf('\\"b\\"'));
  assert.ok(ba.grammar.indexOf('\\"b\\"') < ba.grammar.indexOf('\\"a\\"'));
});

test("a description of a megabyte adds nothing to the cache's size, nor to the grammar it keeps", async () => {
  const small = new Grammars(llama);
  await small.get(person("short"));
  const large = new Grammars(llama);
  const megabyte = "d".repeat(1024 * 1024);
  const grammar = await large.get(person(megabyte)) as LlamaJsonSchemaGrammar<GbnfJsonSchema>;
  assert.equal(large.bytes, small.bytes);
  assert.ok(large.bytes < 10_000, `${large.bytes} bytes`);
  assert.ok(!JSON.stringify(grammar.schema).includes("ddd"), "the kept schema holds no description");
  assert.ok(!grammar.grammar.includes("ddd"));
});

test("the cache is bounded in bytes: the least recently used grammars go, the recent one stays", async () => {
  const grammars = new Grammars(llama, 20_000);
  const first = await grammars.get(schema({ type: "string", maxLength: 50 }));
  for (let i = 0; i < 30; i++) await grammars.get(schema({ type: "array", items: { type: "string", maxLength: 60 + i } }));
  assert.ok(grammars.bytes <= 20_000, `${grammars.bytes} bytes`);
  assert.ok(grammars.entries < 31);
  const last = schema({ type: "array", items: { type: "string", maxLength: 89 } });
  assert.equal(await grammars.get(last), await grammars.get(last));
  assert.notEqual(await grammars.get(schema({ type: "string", maxLength: 50 })), first, "the oldest was compiled again");
});

test("a count is charged for the rules it writes out", async () => {
  const grammars = new Grammars(llama);
  await grammars.get(schema({ type: "string", maxLength: 1 }));
  const one = grammars.bytes;
  await grammars.get(schema({ type: "string", maxLength: 1000 }));
  assert.ok(grammars.bytes - one >= one + 999 * 50, `${one} then ${grammars.bytes}`);
});

test("every model of one Llama shares its grammar cache", () => {
  assert.equal(grammarsOf(llama), grammarsOf(llama));
});

/** Shapes node-llama-cpp's grammar compiler refuses (the bounds refuse them first; this is the backstop). */
const REFUSED: Record<string, object> = {
  "minItems 3000": { type: "array", items: { type: "string" }, minItems: 3000 },
  "minLength 3000": { type: "string", minLength: 3000 },
  "a NUL in a property name": { type: "object", properties: { "a\u0000b": { type: "string" } } },
  "a NUL in an enum value": { enum: ["a\u0000b"] },
  "a $ref loop": { $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" },
  "a self-reference among alternatives": { $defs: { a: { oneOf: [{ $ref: "#/$defs/a" }, { type: "null" }] } }, $ref: "#/$defs/a" },
  "an object as an enum value": { enum: [{ a: 1 }] },
};

test("a schema the compiler refuses is an invalid_request naming the field, and is not kept", async () => {
  const grammars = new Grammars(llama);
  for (const [what, refused] of Object.entries(REFUSED)) {
    await assert.rejects(grammars.get(schema(refused)), (error: unknown) => {
      assert.ok(error instanceof GatewayError, what);
      assert.equal(error.kind, "invalid_request", what);
      assert.equal(error.param, "response_schema", what);
      return true;
    });
  }
  assert.equal(grammars.entries, 0);
});

test("a tool whose parameters the compiler refuses is refused before generation, naming the tool by its index", async () => {
  const grammars = new Grammars(llama);
  const tool = (name: string) => ({ name, parameters: {} });
  const functions = { ok: { params: { type: "object" as const, properties: {} } }, bad: { params: REFUSED["a $ref loop"] as GbnfJsonSchema } };
  await assert.rejects(grammars.checkFunctions(functions, [tool("ok"), tool("bad")]), (error: unknown) => {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.kind, "invalid_request");
    assert.equal(error.param, "tools[1]");
    return true;
  });
  await grammars.checkFunctions({ ok: functions.ok }, [tool("ok")]);
});

test("what the bounds let through compiles: counts at the bound for each kind of item, control characters, finite recursion", async () => {
  const grammars = new Grammars(llama);
  const { count } = LIMITS.schema;
  const items = [
    { type: "string" }, { type: "string", format: "date-time" }, { type: "integer" }, { type: "number" }, { type: "boolean" }, { enum: ["a", 1, null] },
    { const: "c" }, { oneOf: [{ type: "string" }, { type: "null" }] }, { type: "object", properties: { a: { type: "string", minLength: 2 } } },
    { type: "array", items: { type: "integer" }, minItems: 2 },
  ];
  for (const item of items) {
    await grammars.get(schema({ type: "array", items: item, minItems: count, maxItems: count }));
    await grammars.get(schema({ type: "array", items: item, maxItems: count }));
  }
  await grammars.get(schema({ type: "string", minLength: count, maxLength: count }));
  await grammars.get(schema({ type: "string", maxLength: count }));
  await grammars.get(schema({ type: "object", additionalProperties: { type: "string" }, minProperties: count }));
  await grammars.get(schema({ type: "object", properties: { "a\u0001\n\t\u001f\u007f\"\\": { enum: ["\u001b", "\r", "\ud800", "]"] } } }));
  await grammars.get(schema({ $defs: { n: { type: "object", properties: { c: { type: "array", items: { $ref: "#/$defs/n" } } } } }, $ref: "#/$defs/n" }));
});
