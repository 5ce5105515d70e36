// The cheap first check of every parsed body, before schema validation: nesting depth, items per array or object, and
// text in total. It walks with its own stack (never recursion) and stops at the first excess, so a body of ten million
// junk items or a hundred thousand nested arrays costs one short walk, and nothing downstream recurses deeper than the
// depth allowed here.
import { GatewayError } from "../core/gateway-error.js";
import { LIMITS } from "./limits.js";
import { paramPath } from "./validate.js";

export interface JsonBounds {
  depth: number;
  items: number;
  textChars: number;
}

const DEFAULT_BOUNDS: JsonBounds = { depth: LIMITS.jsonDepth, items: LIMITS.jsonItems, textChars: LIMITS.textChars };

/** A container still to look into, with the way back to the root for naming it in an error. */
interface Frame {
  value: object;
  depth: number;
  key: string | number | undefined;
  parent: Frame | undefined;
}

function pathOf(frame: Frame): string {
  const keys: (string | number)[] = [];
  for (let at: Frame | undefined = frame; at?.key !== undefined; at = at.parent) keys.push(at.key);
  return paramPath(keys.reverse());
}

function refuse(frame: Frame, message: string): never {
  const param = pathOf(frame);
  throw new GatewayError("invalid_request", param === "" ? `The request body ${message}` : `${param} ${message}`, {
    ...(param === "" ? {} : { param }),
    reason: "input_limit",
  });
}

/** Throws a GatewayError (reason `input_limit`) at the first bound the parsed body exceeds. */
export function checkJsonBounds(body: unknown, bounds: JsonBounds = DEFAULT_BOUNDS): void {
  if (typeof body === "string") {
    if (body.length > bounds.textChars) throw tooMuchText(bounds);
    return;
  }
  if (typeof body !== "object" || body === null) return;
  let textChars = 0;
  const stack: Frame[] = [{ value: body, depth: 1, key: undefined, parent: undefined }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    if (frame.depth > bounds.depth) refuse(frame, `is nested more than ${bounds.depth} levels deep (this server's limit).`);
    const entries: [string | number, unknown][] = Array.isArray(frame.value) ? [] : Object.entries(frame.value);
    const size = Array.isArray(frame.value) ? frame.value.length : entries.length;
    if (size > bounds.items) {
      refuse(frame, `holds ${size} ${Array.isArray(frame.value) ? "items" : "keys"}, above this server's limit of ${bounds.items}.`);
    }
    const visit = (key: string | number, child: unknown): void => {
      if (typeof key === "string") textChars += key.length;
      if (typeof child === "string") textChars += child.length;
      else if (typeof child === "object" && child !== null) stack.push({ value: child, depth: frame.depth + 1, key, parent: frame });
    };
    if (Array.isArray(frame.value)) frame.value.forEach((child: unknown, i) => visit(i, child));
    else for (const [key, child] of entries) visit(key, child);
    if (textChars > bounds.textChars) throw tooMuchText(bounds);
  }
}

function tooMuchText(bounds: JsonBounds): GatewayError {
  return new GatewayError("request_too_large", `The request holds more than ${bounds.textChars} characters of text, this server's limit.`, { reason: "input_limit" });
}
