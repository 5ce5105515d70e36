// Google's JSON parser (proto3 JSON) takes each field by its JSON name (`systemInstruction`) or by its proto name
// (`system_instruction`), and a single value where a list is expected: the API's own curl examples send
// `"system_instruction": {"parts": {"text": "…"}}`. These fields accept the same, for the fields each object declares
// only, so that names inside client data (function arguments, schema properties) are never touched.
import { z } from "zod";
import { boundedList } from "../bounded-fields.js";

const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** An object renamed to its declared fields' JSON names: `system_instruction` → `systemInstruction` (unless both are sent). */
function withJsonNames(declared: ReadonlySet<string>) {
  return (value: unknown): unknown => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
    const entries = Object.entries(value);
    if (!entries.some(([key]) => key.includes("_"))) return value;
    const present = new Set(entries.map(([key]) => key));
    // fromEntries defines own properties: a `__proto__` key stays a key.
    return Object.fromEntries(entries.map(([key, v]) => {
      const name = camel(key);
      return [name !== key && declared.has(name) && !present.has(name) ? name : key, v];
    }));
  };
}

/** A loose object whose declared fields may also come under their proto names. */
export function protoObject<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.preprocess(withJsonNames(new Set(Object.keys(shape))), z.looseObject(shape));
}

/** A repeated field: a list of at most `max` items (and at least `min`), or one item alone. */
export function repeated<T extends z.ZodType>(item: T, max: number, what: string, min = 0) {
  const list = min === 0 ? boundedList(item, max, what) : boundedList(item, max, what).min(min, { message: `must hold at least ${min} ${what}` });
  return z.preprocess((value) => (value === undefined || value === null || Array.isArray(value) ? value : [value]), list);
}

/** An enum as Google writes it (`ANY`), also taken in lower case (`any`), as the API takes it. */
export function upperEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess((value) => (typeof value === "string" ? value.toUpperCase() : value), z.enum(values));
}
