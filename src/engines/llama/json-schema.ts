// Client JSON Schemas → the subset node-llama-cpp turns into a grammar. Keywords that only annotate are dropped;
// `anyOf` becomes `oneOf` (generating one matching alternative satisfies either); constraints the grammar
// cannot enforce are reported by path, so callers can refuse them or log them.
import type { GbnfJsonSchema } from "node-llama-cpp";

const ENFORCED = new Set([
  "type", "const", "enum", "oneOf", "properties", "required", "additionalProperties", "items", "prefixItems",
  "minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties", "format", "$ref", "$defs", "description",
]);
const ANNOTATIONS = new Set([
  "$schema", "$id", "$comment", "title", "default", "examples", "deprecated", "readOnly", "writeOnly", "definitions", "strict",
  "contentMediaType", "contentEncoding",
]);
const SCHEMA_MAPS = new Set(["properties", "$defs", "definitions"]);
const SCHEMA_LISTS = new Set(["oneOf", "anyOf", "prefixItems"]);

export interface AdaptedSchema {
  schema: GbnfJsonSchema;
  /** `path.keyword` of every constraint that was dropped because the grammar cannot enforce it. */
  unsupported: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function adapt(node: unknown, path: string, unsupported: string[]): unknown {
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const at = path === "" ? key : `${path}.${key}`;
    if (ANNOTATIONS.has(key) && key !== "definitions") continue;
    if (key === "anyOf" || key === "oneOf") {
      out.oneOf = (Array.isArray(value) ? value : []).map((v, i) => adapt(v, `${at}[${i}]`, unsupported));
    } else if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key === "definitions" ? "$defs" : key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, adapt(v, `${at}.${k}`, unsupported)]));
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((v, i) => adapt(v, `${at}[${i}]`, unsupported));
    } else if ((key === "items" || key === "additionalProperties") && isObject(value)) {
      out[key] = adapt(value, at, unsupported);
    } else if (key === "$ref" && typeof value === "string") {
      out[key] = value.replace("#/definitions/", "#/$defs/");
    } else if (ENFORCED.has(key)) {
      out[key] = value;
    } else {
      unsupported.push(at);
    }
  }
  return out;
}

export function toGrammarSchema(schema: Record<string, unknown>): AdaptedSchema {
  const unsupported: string[] = [];
  return { schema: adapt(schema, "", unsupported) as GbnfJsonSchema, unsupported };
}
