// Bounds on a JSON schema a client sends (structured output, tool parameters): its nesting, its properties, its enum
// values and the text of its names, as OpenAI documents them, and its counts (minItems…). The engine compiles such
// schemas into grammars, whose cost grows with each of these. Also refused here, naming the keyword: what node-llama-cpp's
// grammar compiler cannot take (a NUL in a name or value, an enum value that is an object, a subschema that is not one,
// a `$ref` cycle with no way out), which it would otherwise fail on inside the engine.
import { LIMITS, type SchemaLimits } from "./limits.js";
import { refCycleExcess } from "./schema-ref-cycles.js";

export interface SchemaExcess {
  /** Keys from the schema's root to where the bound was passed. */
  path: (string | number)[];
  message: string;
}

/** Keywords whose value is one subschema, or an array of them, one level deeper. */
const NESTING_ONE = ["items", "additionalProperties", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties"];
const NESTING_MANY = ["prefixItems"];
/** Keywords whose value maps names to subschemas one level deeper. */
const NESTING_MAP = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
/** Keywords whose subschemas sit at the same level (alternatives and conditions on one value). */
const SAME_LEVEL_ONE = ["not", "if", "then", "else"];
const SAME_LEVEL_MANY = ["anyOf", "oneOf", "allOf"];

interface Node {
  schema: Record<string, unknown>;
  level: number;
  path: (string | number)[];
}

/** Counts llama.cpp writes out as repeated grammar rules. A maximum past the bound is not refused: the engine leaves
 * it out of the grammar as a constraint it cannot enforce (agents' tool schemas carry maxLength: 10000 and the like). */
const MINIMA = ["minItems", "minLength", "minProperties"];
const MAXIMA = ["maxItems", "maxLength", "maxProperties"];
/** Keywords whose value is a list (of subschemas, or of enum values). */
const LISTS = [...NESTING_MANY, ...SAME_LEVEL_MANY, "enum"];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isLiteral = (v: unknown): boolean => v === null || ["string", "number", "boolean"].includes(typeof v);
const hasNul = (v: unknown): boolean => typeof v === "string" && v.includes("\u0000");
const NUL_MESSAGE = "holds a NUL character (U+0000), which a grammar cannot contain";

/** What in one schema node (not its subschemas) the grammar compiler cannot take, with the key it is at. */
function nodeExcess(s: Record<string, unknown>, limits: SchemaLimits): { keys: (string | number)[]; message: string } | undefined {
  for (const key of LISTS) {
    if (s[key] !== undefined && !Array.isArray(s[key])) return { keys: [key], message: "must be an array" };
  }
  for (const key of [...NESTING_ONE, ...SAME_LEVEL_ONE]) {
    // Draft-07's tuple form of `items` is a list.
    const isSchema = isObject(s[key]) || typeof s[key] === "boolean" || (key === "items" && Array.isArray(s[key]));
    if (s[key] !== undefined && !isSchema) return { keys: [key], message: "must be a schema (an object or a boolean)" };
  }
  for (const key of [...NESTING_MANY, ...SAME_LEVEL_MANY]) {
    const i = (s[key] as unknown[] | undefined)?.findIndex((child) => !isObject(child) && typeof child !== "boolean") ?? -1;
    if (i >= 0) return { keys: [key, i], message: "must be a schema (an object or a boolean)" };
  }
  for (const key of NESTING_MAP) {
    const map = s[key];
    if (map === undefined) continue;
    if (!isObject(map)) return { keys: [key], message: "must be an object of schemas" };
    for (const [name, child] of Object.entries(map)) {
      if (hasNul(name)) return { keys: [key, name], message: `is a name that ${NUL_MESSAGE}` };
      if (!isObject(child) && typeof child !== "boolean") return { keys: [key, name], message: "must be a schema (an object or a boolean)" };
    }
  }
  const values = (s.enum as unknown[] | undefined) ?? [];
  for (const [i, value] of values.entries()) {
    if (!isLiteral(value)) return { keys: ["enum", i], message: "must be a string, number, boolean or null: the grammar cannot write an object or array value" };
    if (hasNul(value)) return { keys: ["enum", i], message: NUL_MESSAGE };
  }
  if (s.const !== undefined && !isLiteral(s.const)) return { keys: ["const"], message: "must be a string, number, boolean or null: the grammar cannot write an object or array value" };
  if (hasNul(s.const)) return { keys: ["const"], message: NUL_MESSAGE };
  for (const key of [...MINIMA, ...MAXIMA]) {
    const count = s[key];
    if (count === undefined) continue;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) return { keys: [key], message: "must be a non-negative integer" };
    if (count > limits.count && MINIMA.includes(key)) {
      return { keys: [key], message: `is more than ${limits.count} (this server's limit for a minimum count, which the grammar writes out one by one)` };
    }
  }
  return undefined;
}

/** The counts of one node the grammar will write out (a maximum past the bound is left out of it). */
const countsOf = (s: Record<string, unknown>, limits: SchemaLimits): number =>
  [...MINIMA, ...MAXIMA].reduce((sum, key) => sum + (typeof s[key] === "number" && s[key] <= limits.count ? s[key] : 0), 0);

/** The first bound `schema` passes, or undefined. Walks with its own stack and stops at the first excess. */
export function schemaExcess(schema: Record<string, unknown>, limits: SchemaLimits = LIMITS.schema): SchemaExcess | undefined {
  let properties = 0;
  let enumValues = 0;
  let chars = 0;
  let counts = 0;
  let refs = false;
  const stack: Node[] = [{ schema, level: 0, path: [] }];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const { schema: s, level, path } = node;
    if (level > limits.depth) return { path, message: `nests subschemas more than ${limits.depth} levels deep (this server's limit)` };
    const excess = nodeExcess(s, limits);
    if (excess !== undefined) return { path: [...path, ...excess.keys], message: excess.message };
    counts += countsOf(s, limits);
    refs ||= typeof s.$ref === "string";
    const push = (child: unknown, childLevel: number, ...keys: (string | number)[]): void => {
      if (isObject(child)) stack.push({ schema: child, level: childLevel, path: [...path, ...keys] });
    };
    for (const key of NESTING_ONE) push(s[key], level + 1, key);
    for (const key of NESTING_MANY) if (Array.isArray(s[key])) s[key].forEach((child: unknown, i) => push(child, level + 1, key, i));
    for (const key of SAME_LEVEL_ONE) push(s[key], level, key);
    for (const key of SAME_LEVEL_MANY) if (Array.isArray(s[key])) s[key].forEach((child: unknown, i) => push(child, level, key, i));
    for (const key of NESTING_MAP) {
      const map = s[key];
      if (!isObject(map)) continue;
      for (const [name, child] of Object.entries(map)) {
        chars += name.length;
        if (key === "properties") properties += 1;
        push(child, level + 1, key, name);
      }
    }
    if (Array.isArray(s.enum)) {
      enumValues += s.enum.length;
      for (const value of s.enum) chars += typeof value === "string" ? value.length : 0;
    }
    if (typeof s.const === "string") chars += s.const.length;
    if (properties > limits.properties) return { path, message: `has more than ${limits.properties} properties in all (this server's limit)` };
    if (enumValues > limits.enumValues) return { path, message: `has more than ${limits.enumValues} enum values in all (this server's limit)` };
    if (chars > limits.chars) {
      return { path, message: `has more than ${limits.chars} characters of property names, enum and const values in all (this server's limit)` };
    }
    if (counts > limits.counts) {
      return { path, message: `has counts (minItems, maxLength…) adding up to more than ${limits.counts} in all (this server's limit)` };
    }
  }
  return refs ? refCycleExcess(schema) : undefined;
}
