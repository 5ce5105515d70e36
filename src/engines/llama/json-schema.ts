// Client JSON Schemas → the subset node-llama-cpp turns into a grammar. Keywords that only annotate are dropped;
// `anyOf` becomes `oneOf` (generating one matching alternative satisfies either); constraints the grammar
// cannot enforce are reported by path, so callers can refuse them or log them. grammarForm() gives the part of a schema
// its grammar depends on, to key and compile grammars by.
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
/** The largest maximum count llama.cpp's grammar parser writes out (it refuses a string's maxLength of 1,001); the
 * protocols' schema bounds refuse a larger minimum. */
const MAX_GRAMMAR_COUNT = 1000;
const MAXIMA = new Set(["maxItems", "maxLength", "maxProperties"]);
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
    } else if (MAXIMA.has(key) && typeof value === "number" && value > MAX_GRAMMAR_COUNT) {
      unsupported.push(`${at} above ${MAX_GRAMMAR_COUNT}`);
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

/** Keywords of an adapted schema that only describe it: its grammar is the same without them. */
const DESCRIPTIVE = new Set(["description", ...[...ANNOTATIONS].filter((key) => key !== "definitions")]);
/** Counts the grammar writes out as that many rules. */
const COUNTS = new Set(["minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties"]);

export interface GrammarForm {
  /** The schema without descriptive keywords, its keywords in sorted order and its properties in theirs. */
  schema: GbnfJsonSchema;
  /** Its JSON: equal for two schemas exactly when their grammars are. */
  json: string;
  /** Its counts (minItems…) added up: what the grammar's rules grow with beyond the schema's size. */
  counts: number;
}

/** What of an adapted schema its grammar depends on. Properties keep their order, since the grammar writes them in it. */
export function grammarForm(schema: GbnfJsonSchema): GrammarForm {
  let counts = 0;
  const bare = (node: unknown): unknown => {
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(node).sort()) {
      const value = node[key];
      if (DESCRIPTIVE.has(key)) continue;
      if (SCHEMA_MAPS.has(key) && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bare(v)]));
      else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) out[key] = value.map(bare);
      else if (key === "items" || key === "additionalProperties") out[key] = bare(value);
      else out[key] = value;
      if (COUNTS.has(key) && typeof value === "number") counts += value;
    }
    return out;
  };
  const stripped = bare(schema) as GbnfJsonSchema;
  return { schema: stripped, json: JSON.stringify(stripped), counts };
}
