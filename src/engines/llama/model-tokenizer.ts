// Text as a model's tokens and back, as llama-server's /tokenize and /detokenize give them: special tokens added
// where the vocabulary asks (`add_special`), markup read as special tokens (`parse_special`), and each token's text as
// a string when its bytes are valid UTF-8 on their own, else as the bytes.
import { LlamaVocabularyType, type LlamaModel, type Token } from "node-llama-cpp";
import { GatewayError } from "../../core/gateway-error.js";
import type { TokenPiece } from "../../core/tokenize-request.js";

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** GPT-2's byte-level alphabet, read backwards: the character a byte-level BPE vocabulary writes for each byte → the byte. */
const BYTE_OF_SYMBOL: ReadonlyMap<string, number> = (() => {
  const printable = (b: number): boolean => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const map = new Map<string, number>();
  let shifted = 0;
  for (let byte = 0; byte < 256; byte++) map.set(String.fromCodePoint(printable(byte) ? byte : 256 + shifted++), byte);
  return map;
})();

/** The bytes a vocabulary entry stands for, where its type writes bytes in a way we can read back; undefined otherwise. */
export function vocabularyBytes(type: LlamaVocabularyType, entry: string | undefined): Buffer | undefined {
  if (entry === undefined) return undefined;
  if (type === LlamaVocabularyType.bpe) {
    const bytes: number[] = [];
    for (const symbol of entry) {
      const byte = BYTE_OF_SYMBOL.get(symbol);
      if (byte === undefined) return undefined;
      bytes.push(byte);
    }
    return Buffer.from(bytes);
  }
  if (type === LlamaVocabularyType.spm) {
    const byteToken = /^<0x([0-9A-Fa-f]{2})>$/.exec(entry);
    return byteToken === null ? Buffer.from(entry.replaceAll("\u2581", " ")) : Buffer.from([parseInt(byteToken[1]!, 16)]);
  }
  return undefined;
}

/** A token's text: a string when valid UTF-8, else its bytes (read from the vocabulary, which keeps them whole). */
export function pieceOf(text: string, bytes: Buffer | undefined): TokenPiece {
  // node-llama-cpp hands a token's text over as a JS string, which replaces a partial UTF-8 sequence with U+FFFD.
  if (!text.includes("\uFFFD") || bytes === undefined) return text;
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return [...bytes];
  }
}

export class ModelTokenizer {
  private readonly vocabulary: readonly string[];

  constructor(private readonly model: LlamaModel) {
    this.vocabulary = (model.fileInfo.metadata.tokenizer.ggml.tokens as readonly string[] | undefined) ?? [];
  }

  /** The tokens of `content`, with the beginning and end of text tokens the vocabulary adds when `addSpecial`. */
  tokenize(content: string, { addSpecial, parseSpecial }: { addSpecial: boolean; parseSpecial: boolean }): Token[] {
    const { model } = this;
    const tokens = model.tokenize(content, parseSpecial);
    if (!addSpecial) return tokens;
    const { bos, eos, shouldPrependBosToken, shouldAppendEosToken } = model.tokens;
    return [...(shouldPrependBosToken && bos !== null ? [bos] : []), ...tokens, ...(shouldAppendEosToken && eos !== null ? [eos] : [])];
  }

  pieces(tokens: readonly Token[]): TokenPiece[] {
    return tokens.map((token) => pieceOf(this.model.detokenize([token], true), vocabularyBytes(this.model.vocabularyType, this.vocabulary[token])));
  }

  /** The text of `tokens`, special tokens as their markup; an id outside the vocabulary is a 400 naming it. */
  detokenize(tokens: readonly number[]): string {
    const size = this.vocabulary.length;
    const outside = tokens.findIndex((token) => token >= size);
    if (outside >= 0) {
      throw new GatewayError("invalid_request", `tokens[${outside}] is ${tokens[outside]}, outside this model's vocabulary of ${size} tokens.`, { param: `tokens[${outside}]` });
    }
    return this.model.detokenize(tokens as Token[], true);
  }
}
