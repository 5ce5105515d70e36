// What a request may cost in tokens, guessed before anything is tokenized: for reserving a token budget at admission.
import type { ChatRequest } from "../core/chat-request.js";

/** Characters a token covers on ordinary text, roughly, with the tokenizers of the models served. */
const CHARS_PER_TOKEN = 4;

/** Its prompt (from the characters of what the model will read) and the most it may generate (`defaultMax` when unsaid). */
export function estimateTokens(request: ChatRequest, defaultMax: number): number {
  const { system, messages, tools, prompt } = request;
  const chars = JSON.stringify({ system, messages, tools, prompt }).length;
  return Math.ceil(chars / CHARS_PER_TOKEN) + (request.sampling.maxTokens ?? defaultMax);
}
