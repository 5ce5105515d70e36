// Item references replaced by the items they name, within the bounds literal input has. A reference costs a few
// bytes on the wire and can name a message of megabytes, any number of times: what counts is what the input becomes,
// so the history, the input and every resolved reference together are held to LIMITS.inputItems and LIMITS.textChars
// before any prompt is built or tokenized.
import { GatewayError } from "../../../core/gateway-error.js";
import { LIMITS } from "../../limits.js";
import { referenceableId } from "./item-index.js";
import type { InputItem } from "./schema.js";

export interface ResolveBounds {
  items: number;
  textChars: number;
}

const DEFAULT_BOUNDS: ResolveBounds = { items: LIMITS.inputItems, textChars: LIMITS.textChars };

/** Unresolved ids a warning names, and the characters of each it shows: the log line stays short whatever was sent. */
const NAMED_IDS = 3;
const ID_PREFIX_CHARS = 32;

/** Characters of every string in a value, keys included (as the body's own text bound counts them). */
function textChars(value: unknown): number {
  let chars = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === "string") chars += next.length;
    else if (Array.isArray(next)) for (const child of next) stack.push(child);
    else if (typeof next === "object" && next !== null) {
      for (const [key, child] of Object.entries(next)) {
        chars += key.length;
        stack.push(child);
      }
    }
  }
  return chars;
}

function tooLarge(message: string): GatewayError {
  return new GatewayError("invalid_request", message, { param: "input", reason: "input_limit" });
}

function unresolvedWarning(ids: readonly string[], count: number): string {
  const named = ids.map((id) => (id.length > ID_PREFIX_CHARS ? `${id.slice(0, ID_PREFIX_CHARS)}…` : id)).join(", ");
  const more = count > ids.length ? ` and ${count - ids.length} more` : "";
  return count === 1
    ? `item_reference ${named} names no stored item and was left out.`
    : `item_reference: ${count} references name no stored item and were left out (${named}${more}).`;
}

/**
 * The items with each reference replaced by the item it names (an earlier item of the same list, else one of the
 * owner's stored items); ones that name nothing known are left out with one warning. Each distinct id is looked up
 * once. Throws a 400 naming `input` once the result passes `bounds`.
 */
export function resolveReferences(
  items: readonly InputItem[],
  warnings: string[],
  storedItem?: (id: string) => InputItem | undefined,
  bounds: ResolveBounds = DEFAULT_BOUNDS,
): InputItem[] {
  const byId = new Map<string, InputItem>();
  const stored = new Map<string, InputItem | undefined>();
  const charsOf = new WeakMap<InputItem, number>();
  const unresolved: string[] = [];
  let unresolvedCount = 0;
  let chars = 0;
  const resolved: InputItem[] = [];
  const lookUp = (id: string): InputItem | undefined => {
    const inline = byId.get(id);
    if (inline !== undefined) return inline;
    if (!stored.has(id)) stored.set(id, storedItem?.(id));
    return stored.get(id);
  };
  for (const item of items) {
    let target = item;
    if (item.type === "item_reference") {
      const found = lookUp(item.id);
      if (found === undefined) {
        unresolvedCount++;
        if (unresolved.length < NAMED_IDS) unresolved.push(item.id);
        continue;
      }
      target = found;
    } else {
      const id = referenceableId(item);
      if (id !== undefined) byId.set(id, item);
    }
    let size = charsOf.get(target);
    if (size === undefined) charsOf.set(target, (size = textChars(target)));
    chars += size;
    resolved.push(target);
    if (resolved.length > bounds.items) {
      throw tooLarge(`input holds more than ${bounds.items} items once previous_response_id's history and item references are counted, above this server's limit.`);
    }
    if (chars > bounds.textChars) {
      throw tooLarge(`input holds more than ${bounds.textChars} characters of text once previous_response_id's history and item references are counted, above this server's limit.`);
    }
  }
  if (unresolvedCount > 0) warnings.push(unresolvedWarning(unresolved, unresolvedCount));
  return resolved;
}
