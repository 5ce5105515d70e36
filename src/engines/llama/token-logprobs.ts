// Token log-probabilities of one generation: what the patched sequence reports for each sampled token (the top
// logits of the distribution it was drawn from and its normaliser) turned into log-probabilities with the tokens'
// text and bytes, held until LlamaChat hands over the chunk of text those tokens make.
import type { LlamaModel, Token } from "node-llama-cpp";
import type { TokenAlternative, TokenLogprob } from "../../core/chat-event.js";
import { vocabularyBytes } from "./model-tokenizer.js";

/** OpenAI's floor for a token too unlikely to have a finite log-probability (one the grammar or top-k ruled out). */
const UNLIKELY = -9999;

const LENIENT_UTF8 = new TextDecoder("utf-8");

export class TokenLogprobs {
  /** Sampled tokens not yet claimed by a chunk of text, in order. */
  private readonly pending: Array<{ token: Token; logprob: TokenLogprob }> = [];
  private readonly pieces = new Map<Token, { token: string; bytes: number[] }>();
  private readonly vocabulary: readonly string[];

  constructor(private readonly model: LlamaModel, readonly top: number) {
    this.vocabulary = (model.fileInfo.metadata.tokenizer.ggml.tokens as readonly string[] | undefined) ?? [];
  }

  /**
   * One sampled token, as the patch reports it: `logits` holds token/logit pairs, the `max(1, top)` highest (the
   * first is the highest of all) then the sampled token's; `totalLogitWeight` is Σ exp(logit − highest).
   */
  onSampled(token: Token, logits: readonly number[], totalLogitWeight: number): void {
    const pairs = logits.length / 2;
    const logZ = logits[1]! + Math.log(totalLogitWeight);
    const alternative = (id: Token, logit: number): TokenAlternative => ({ ...this.piece(id), logprob: finite(logit - logZ) });
    const top: TokenAlternative[] = [];
    for (let i = 0; i < Math.min(this.top, pairs - 1); i++) top.push(alternative(logits[2 * i] as Token, logits[2 * i + 1]!));
    const sampled = alternative(token, logits[2 * (pairs - 1)] === token ? logits[2 * pairs - 1]! : Number.NEGATIVE_INFINITY);
    this.pending.push({ token, logprob: { ...sampled, top } });
  }

  /** The log-probabilities of `tokens`, the tokens of a chunk of text, in order; sampled tokens before them that made no text are dropped. */
  take(tokens: readonly Token[]): TokenLogprob[] {
    const taken: TokenLogprob[] = [];
    for (const token of tokens) {
      const at = this.pending.findIndex((entry) => entry.token === token);
      if (at < 0) continue;
      taken.push(this.pending[at]!.logprob);
      this.pending.splice(0, at + 1);
    }
    return taken;
  }

  private piece(token: Token): { token: string; bytes: number[] } {
    let piece = this.pieces.get(token);
    if (piece === undefined) {
      const bytes = vocabularyBytes(this.model.vocabularyType, this.vocabulary[token]) ?? Buffer.from(this.model.detokenize([token], true));
      piece = { token: LENIENT_UTF8.decode(bytes), bytes: [...bytes] };
      this.pieces.set(token, piece);
    }
    return { token: piece.token, bytes: [...piece.bytes] };
  }
}

function finite(logprob: number): number {
  return Number.isFinite(logprob) ? Math.max(UNLIKELY, logprob) : UNLIKELY;
}

/** Drops the log-probabilities of the tokens whose text `removed` leading characters were, as a trimmed chunk loses them. */
export function dropLeading(logprobs: readonly TokenLogprob[], removed: number): TokenLogprob[] {
  let at = 0;
  while (at < logprobs.length && removed > 0 && logprobs[at]!.token.length <= removed) removed -= logprobs[at++]!.token.length;
  return logprobs.slice(at);
}
