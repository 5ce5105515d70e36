// TokenizeResult → the wire: llama-server's `{tokens}` (with pieces, `{id, piece}` each) for text, vLLM's
// `{tokens, count, max_model_len}` for a chat.
import type { TokenizeRequest, TokenizeResult, TokenPiece } from "../../../core/tokenize-request.js";

export type TokenizeResponse =
  | { tokens: number[] }
  | { tokens: { id: number; piece: TokenPiece }[] }
  | { tokens: number[]; count: number; max_model_len: number };

export function renderTokenize(result: TokenizeResult, form: TokenizeRequest["kind"]): TokenizeResponse {
  const { tokens, pieces, contextLength } = result;
  if (form === "chat") return { tokens, count: tokens.length, max_model_len: contextLength };
  if (pieces === undefined) return { tokens };
  return { tokens: tokens.map((id, i) => ({ id, piece: pieces[i]! })) };
}
