// Claude Code opens its system prompt with a billing line whose `cch=` value changes on every request
// ("x-anthropic-billing-header: cc_version=…; cc_entrypoint=cli; cch=fa690;"). It is metadata for Anthropic's
// billing, not an instruction, and left in it would make every prompt differ from its first tokens, defeating
// prefix reuse turn after turn. It is dropped, as llama-server does.
import type { TextPart } from "../../../core/chat-request.js";

const BILLING_LINE = /^x-anthropic-billing-header:.*$/gm;

/** The system parts without volatile billing lines; parts left empty go. */
export function withoutVolatileMarkers(parts: readonly TextPart[]): TextPart[] {
  return parts.flatMap((part) => {
    if (!part.text.includes("x-anthropic-billing-header:")) return [part];
    const text = part.text.replace(BILLING_LINE, "").replace(/^\n+/, "");
    return text.trim() === "" ? [] : [{ ...part, text }];
  });
}
