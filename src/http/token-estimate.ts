// What a request may cost in tokens, guessed before anything is tokenized: for reserving a token budget at admission.
import type { ChatRequest, ContentPart } from "../core/chat-request.js";
import type { EmbedRequest } from "../core/embed-request.js";
import type { RankRequest } from "../core/rank-request.js";
import type { TokenizeRequest } from "../core/tokenize-request.js";

/** Characters a token covers on ordinary text, roughly, with the tokenizers of the models served. */
const CHARS_PER_TOKEN = 4;
/** The chat format's markup around each message (role markers, separators). */
const TOKENS_PER_MESSAGE = 4;

function partChars(part: ContentPart): number {
  switch (part.type) {
    case "text":
    case "thinking":
      return part.text.length;
    case "tool_call":
      return part.name.length + JSON.stringify(part.arguments ?? null).length;
    case "tool_result":
      return part.content.reduce((sum, c) => sum + c.text.length, 0);
    case "image":
      return 0;
  }
}

/** Its prompt (from the characters of what the model will read) and the most it may generate (`defaultMax` when unsaid). */
export function estimateTokens(request: ChatRequest, defaultMax: number): number {
  let chars = (request.prompt?.length ?? 0) + request.system.reduce((sum, part) => sum + part.text.length, 0);
  for (const message of request.messages) chars += message.content.reduce((sum, part) => sum + partChars(part), 0);
  if (request.tools.length > 0) chars += JSON.stringify(request.tools).length;
  const markup = (request.messages.length + (request.system.length > 0 ? 1 : 0)) * TOKENS_PER_MESSAGE;
  return Math.ceil(chars / CHARS_PER_TOKEN) + markup + (request.sampling.maxTokens ?? defaultMax);
}

/** The tokens an embeddings request reads: its texts' characters, and its token ids as they are. */
export function estimateEmbedTokens(request: EmbedRequest): number {
  return request.inputs.reduce((sum, input) => sum + (typeof input === "string" ? Math.ceil(input.length / CHARS_PER_TOKEN) : input.length), 0);
}

/** The tokens a rerank request reads: the query once with every document, and the documents. */
export function estimateRankTokens(request: RankRequest): number {
  return request.documents.reduce((sum, document) => sum + Math.ceil((request.query.length + document.length) / CHARS_PER_TOKEN), 0);
}

/** The tokens a tokenize request reads: its text's, or its chat's prompt. */
export function estimateTokenizeTokens(request: TokenizeRequest): number {
  return request.kind === "chat" ? estimateTokens(request.chat, 0) : Math.ceil(request.content.length / CHARS_PER_TOKEN);
}
