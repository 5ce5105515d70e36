import { getLlama } from "node-llama-cpp";
const llama = await getLlama({ build: "never", gpu: false });
const schemas: unknown[] = [
  { type: "object", properties: { city: { type: "string", maxLength: 5 } }, required: ["city"], additionalProperties: false, $schema: "http://json-schema.org/draft-07/schema#" },
  { type: "object", properties: { a: { type: "string", format: "date" }, b: { anyOf: [{ type: "string" }, { type: "null" }] } } },
  { type: "object", properties: { a: { type: "string", pattern: "^x+$" } } },
  { type: "object", properties: { a: { allOf: [{ type: "string" }] } } },
  { type: "object", properties: { a: { type: ["string", "null"] } } },
  { type: "object", properties: { a: { $ref: "#/$defs/x" } }, $defs: { x: { type: "integer", minimum: 0 } } },
  { type: "object", properties: { a: { type: "object" } } },
  {},
  { type: "object" },
];
for (const s of schemas) {
  try { const g = await llama.createGrammarForJsonSchema(s as never); console.log("ok", JSON.stringify(s).slice(0, 80), g.grammar.length); }
  catch (e) { console.log("ERR", JSON.stringify(s).slice(0, 80), (e as Error).message.slice(0, 200)); }
}
