// Bounds on a JSON schema a client sends (structured output, tool parameters): its nesting, its properties, its enum
// values and the text of its names, as OpenAI documents them. The engine compiles such schemas into grammars, whose
// cost grows with each of these.
import { LIMITS, type SchemaLimits } from "./limits.js";

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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The first bound `schema` passes, or undefined. Walks with its own stack and stops at the first excess. */
export function schemaExcess(schema: Record<string, unknown>, limits: SchemaLimits = LIMITS.schema): SchemaExcess | undefined {
  let properties = 0;
  let enumValues = 0;
  let chars = 0;
  const stack: Node[] = [{ schema, level: 0, path: [] }];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const { schema: s, level, path } = node;
    if (level > limits.depth) return { path, message: `nests subschemas more than ${limits.depth} levels deep (this server's limit)` };
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
  }
  return undefined;
}
