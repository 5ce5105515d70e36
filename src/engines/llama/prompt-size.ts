// Refuses a prompt too long for the context before it is tokenized in one piece on the event loop (millions of
// characters take seconds, stalling every stream). No token covers more bytes than the vocabulary's longest, so the
// text's bytes over that length are a floor on its token count: past the context, refused at once. Between that floor
// and a size that tokenizes quickly, the text is counted piece by piece, yielding between pieces.
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { LlamaModel } from "node-llama-cpp";
import type { ChatRequest } from "../../core/chat-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { REQUEST_PARAMS } from "../../core/request-param.js";

/** Text up to this many bytes is tokenized whole without counting first (a few tens of milliseconds). */
const TOKENIZE_AT_ONCE_BYTES = 256 * 1024;
/** Pieces counted between yields. */
const PIECE_CHARS = 32 * 1024;

/** Text the model will certainly read: a floor (old thinking may be dropped by the template; tools are left out). */
function promptTexts(request: ChatRequest): string[] {
  if (request.prompt !== undefined) return [request.prompt];
  const texts = request.system.map((part) => part.text);
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === "text") texts.push(part.text);
      else if (part.type === "tool_result") texts.push(...part.content.map((c) => c.text));
    }
  }
  return texts;
}

/** Pieces of at most PIECE_CHARS, cut after whitespace where there is some, so counts add up closely. */
function* pieces(text: string): Generator<string> {
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + PIECE_CHARS);
    if (end < text.length) {
      const space = text.lastIndexOf(" ", end);
      if (space > start) end = space;
    }
    yield text.slice(start, end);
    start = end;
  }
}

export class PromptSize {
  private readonly longestTokenBytes: number;

  constructor(private readonly model: LlamaModel) {
    const tokens = (model.fileInfo.metadata.tokenizer.ggml.tokens as readonly string[] | undefined) ?? [];
    // Byte-level BPE writes a byte as one symbol; other vocabularies' UTF-8 bytes are at least their characters.
    this.longestTokenBytes = tokens.reduce((longest, token) => Math.max(longest, Buffer.byteLength(token)), 1);
  }

  /** Throws invalid_request when the request's text cannot fit `contextSize` tokens. */
  async check(request: ChatRequest, contextSize: number): Promise<void> {
    const texts = promptTexts(request);
    const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    const floor = Math.ceil(bytes / this.longestTokenBytes);
    if (floor >= contextSize) this.refuse(request, floor, contextSize);
    if (bytes <= TOKENIZE_AT_ONCE_BYTES) return;
    let counted = 0;
    let cuts = 0;
    for (const text of texts) {
      for (const piece of pieces(text)) {
        counted += this.model.tokenize(piece).length;
        cuts++;
        // A cut can merge at most a token or two that a whole text would have kept apart.
        if (counted - 2 * cuts >= contextSize) this.refuse(request, counted - 2 * cuts, contextSize);
        await yieldToEventLoop();
      }
    }
  }

  private refuse(request: ChatRequest, atLeast: number, contextSize: number): never {
    const [what, param] = request.prompt !== undefined ? ["prompt", REQUEST_PARAMS.prompt] : ["conversation", REQUEST_PARAMS.messages];
    throw new GatewayError("invalid_request",
      `The prompt is at least ${atLeast} tokens long, but the model's context holds ${contextSize} tokens. Shorten the ${what}.`,
      { param });
  }
}
