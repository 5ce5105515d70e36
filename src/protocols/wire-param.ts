// An engine's error names a part of the canonical request (core/request-param.ts); each protocol names it by its own
// field before the error reaches the client. An index or path after the name is kept (`messages[2].content`).
import { REQUEST_PARAMS, type RequestParam } from "../core/request-param.js";

export type WireNames = Partial<Record<RequestParam, string>>;

const CANONICAL = new Set<string>(Object.values(REQUEST_PARAMS));

/** `param` in the protocol's own names; a param that is not canonical (a wire field already) is kept as it is. */
export function wireParam(param: string | undefined, names: WireNames): string | undefined {
  if (param === undefined) return undefined;
  const head = /^[a-z_]+/.exec(param)?.[0] ?? "";
  if (!CANONICAL.has(head)) return param;
  const wire = names[head as RequestParam];
  return wire === undefined ? param : wire + param.slice(head.length);
}

export const CHAT_COMPLETIONS_NAMES: WireNames = { response_schema: "response_format.json_schema.schema" };
export const RESPONSES_NAMES: WireNames = { messages: "input", response_format: "text.format", response_schema: "text.format.schema", max_tokens: "max_output_tokens" };
