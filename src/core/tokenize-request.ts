// The canonical tokenization requests and their results: text as the model's tokens (llama-server's /tokenize), a
// chat as the tokens of the prompt a chat completion would read (vLLM's chat form), and tokens back as text.
import type { ChatRequest } from "./chat-request.js";

/** Absent `model`: the default model (the first served). */
export type TokenizeRequest = { model?: string; partition?: string } & (
  | {
    kind: "text";
    content: string;
    /** Add the model's beginning (and end) of text tokens where its vocabulary asks for them. */
    addSpecial: boolean;
    /** Read special-token markup in the text (`<|im_start|>`) as those tokens, not as plain text. */
    parseSpecial: boolean;
    /** Also give each token's text. */
    withPieces: boolean;
  }
  /** The chat's prompt rendered with the model's chat template, exactly as generation would build it. */
  | { kind: "chat"; chat: ChatRequest });

/** A token's text: a string when its bytes are valid UTF-8 on their own, else the bytes (as llama-server gives them). */
export type TokenPiece = string | number[];

export interface TokenizeResult {
  tokens: number[];
  /** One per token, when the request asked for them. */
  pieces?: TokenPiece[];
  /** The model's context, in tokens. */
  contextLength: number;
}

export interface DetokenizeRequest {
  model?: string;
  tokens: number[];
  partition?: string;
}
