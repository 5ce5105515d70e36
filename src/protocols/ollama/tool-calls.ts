// A finished canonical tool call as Ollama sends it: whole, its arguments an object, with a `call_…` id.
import { vendorToolId } from "../../core/ids.js";
import type { OllamaToolCall } from "./wire.js";

/** The call, or undefined when its arguments are not a JSON object: a call cut off by the token limit (done_reason says so). */
export function ollamaToolCall(id: string, name: string, json: string, index: number): OllamaToolCall | undefined {
  let args: unknown;
  try {
    args = json.trim() === "" ? {} : JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof args !== "object" || args === null || Array.isArray(args)) return undefined;
  return { id: vendorToolId("call_", id), function: { index, name, arguments: args as Record<string, unknown> } };
}
