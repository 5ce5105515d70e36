// Gemini's Schema (`parameters`, `responseSchema`) is a subset of OpenAPI 3.0: upper-case types, `nullable`, counts as
// int64 strings, `propertyOrdering`. It becomes the standard JSON Schema the engines read. The subset is closed (the
// API refuses other keywords), so keywords outside it are left out rather than passed on half-translated.
import { z } from "zod";
import { jsonSchemaField } from "../bounded-fields.js";

type JsonSchema = Record<string, unknown>;

export interface SchemaIssue {
  path: (string | number)[];
  message: string;
}

const TYPES: Readonly<Record<string, string | undefined>> = {
  STRING: "string", NUMBER: "number", INTEGER: "integer", BOOLEAN: "boolean", ARRAY: "array", OBJECT: "object", NULL: "null",
  TYPE_UNSPECIFIED: undefined,
};
const COUNTS = ["minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties"];
const BOUNDS = ["minimum", "maximum"];
const TEXTS = ["title", "description", "pattern"];
/** The string formats JSON Schema and the engines' grammars both know; OpenAPI's data-type formats (int32, float, the
 * `enum` marker) and string annotations such as `email` constrain nothing there. */
const FORMATS = new Set(["date-time", "date", "time"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

class Failure extends Error {
  constructor(readonly issue: SchemaIssue) {
    super(issue.message);
  }
}

const fail = (path: (string | number)[], message: string): never => {
  throw new Failure({ path, message });
};

function toNumber(value: unknown, path: (string | number)[]): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n)) fail(path, "must be a number");
  return n as number;
}

function typeOf(value: unknown, path: (string | number)[]): string | undefined {
  const name = typeof value === "string" ? value.toUpperCase() : undefined;
  if (name === undefined || !(name in TYPES)) fail(path, `must be one of ${Object.keys(TYPES).join(", ")}`);
  return TYPES[name!];
}

/** Properties in `propertyOrdering`'s order first (the order the model writes them in), then the rest as given. */
function ordered(properties: Record<string, unknown>, ordering: unknown): [string, unknown][] {
  const entries = Object.entries(properties);
  if (!Array.isArray(ordering)) return entries;
  const rank = new Map(ordering.filter((k): k is string => typeof k === "string").map((k, i) => [k, i]));
  return entries.map((entry, i) => ({ entry, key: rank.get(entry[0]) ?? rank.size + i })).sort((a, b) => a.key - b.key).map((e) => e.entry);
}

function convert(node: unknown, path: (string | number)[]): JsonSchema {
  if (!isObject(node)) return fail(path, "must be a schema object");
  const out: JsonSchema = {};
  const type = node.type === undefined ? undefined : typeOf(node.type, [...path, "type"]);
  if (type !== undefined) out.type = type;
  if (node.format !== undefined) {
    if (typeof node.format !== "string") fail([...path, "format"], "must be a string");
    if (type === "string" && FORMATS.has(node.format as string)) out.format = node.format;
  }
  for (const key of TEXTS) {
    if (node[key] === undefined) continue;
    if (typeof node[key] !== "string") fail([...path, key], "must be a string");
    out[key] = node[key];
  }
  if (node.default !== undefined) out.default = node.default;
  if (node.example !== undefined) out.examples = [node.example];
  if (node.enum !== undefined) {
    if (!Array.isArray(node.enum)) fail([...path, "enum"], "must be an array");
    // Google writes every enum value as a string, an INTEGER's too ("101").
    const numeric = type === "integer" || type === "number";
    out.enum = (node.enum as unknown[]).map((v, i) => (numeric && typeof v === "string" ? toNumber(v, [...path, "enum", i]) : v));
  }
  for (const key of COUNTS) if (node[key] !== undefined) out[key] = toNumber(node[key], [...path, key]);
  for (const key of BOUNDS) if (node[key] !== undefined) out[key] = toNumber(node[key], [...path, key]);
  if (node.properties !== undefined) {
    if (!isObject(node.properties)) fail([...path, "properties"], "must be an object of schemas");
    out.properties = Object.fromEntries(ordered(node.properties as Record<string, unknown>, node.propertyOrdering)
      .map(([name, child]) => [name, convert(child, [...path, "properties", name])]));
  }
  if (node.required !== undefined) {
    if (!Array.isArray(node.required) || node.required.some((r) => typeof r !== "string")) fail([...path, "required"], "must be a list of property names");
    out.required = node.required;
  }
  if (node.items !== undefined) out.items = convert(node.items, [...path, "items"]);
  if (node.anyOf !== undefined) {
    if (!Array.isArray(node.anyOf)) fail([...path, "anyOf"], "must be an array of schemas");
    out.anyOf = (node.anyOf as unknown[]).map((child, i) => convert(child, [...path, "anyOf", i]));
  }
  if (node.nullable === true) {
    if (typeof out.type === "string" && out.type !== "null") out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (out.type === undefined && Array.isArray(out.anyOf)) out.anyOf = [...out.anyOf, { type: "null" }];
  }
  return out;
}

/** The JSON Schema a Gemini Schema stands for, or the first place it is malformed. */
export function openApiToJsonSchema(schema: unknown): { schema: JsonSchema } | { issue: SchemaIssue } {
  try {
    return { schema: convert(schema, []) };
  } catch (error) {
    if (error instanceof Failure) return { issue: error.issue };
    throw error;
  }
}

/** A Gemini Schema from a client, converted to JSON Schema and held to the schema bounds like any other. */
export const openApiSchemaField = z.record(z.string(), z.unknown()).transform((schema, ctx) => {
  const converted = openApiToJsonSchema(schema);
  if ("schema" in converted) return converted.schema;
  ctx.addIssue({ code: "custom", message: converted.issue.message, path: converted.issue.path, input: schema });
  return z.NEVER;
}).pipe(jsonSchemaField);
