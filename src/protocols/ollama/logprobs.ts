// Token log-probabilities between the canonical form and Ollama's (`logprobs: [{token, logprob, bytes, top_logprobs}]`).
import type { TokenAlternative, TokenLogprob } from "../../core/chat-event.js";
import type { Logprob } from "./wire.js";

/** Ollama's server sends each token's bytes; the client's type predates them. */
type WireAlternative = { token: string; logprob: number; bytes?: number[] };
export type WireLogprob = Logprob & { bytes?: number[]; top_logprobs?: WireAlternative[] };

const alternative = (a: TokenAlternative): WireAlternative => ({ token: a.token, logprob: a.logprob, bytes: a.bytes });

export function renderLogprobs(logprobs: readonly TokenLogprob[]): WireLogprob[] {
  return logprobs.map((l) => ({ ...alternative(l), ...(l.top.length === 0 ? {} : { top_logprobs: l.top.map(alternative) }) }));
}

const bytesOf = (a: WireAlternative): number[] => a.bytes ?? [...Buffer.from(a.token, "utf8")];

export function parseLogprobs(logprobs: readonly WireLogprob[]): TokenLogprob[] {
  return logprobs.map((l) => ({
    token: l.token,
    bytes: bytesOf(l),
    logprob: l.logprob,
    top: (l.top_logprobs ?? []).map((t) => ({ token: t.token, bytes: bytesOf(t), logprob: t.logprob })),
  }));
}
