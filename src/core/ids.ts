// Random ids with each vendor's prefix.
import { randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A random base62 string of the given length. */
export function randomId(length = 24): string {
  const bytes = randomBytes(length);
  let id = "";
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

export const newId = {
  chatCompletion: (): string => `chatcmpl-${randomId(29)}`,
  completion: (): string => `cmpl-${randomId(29)}`,
  openaiToolCall: (): string => `call_${randomId(24)}`,
  message: (): string => `msg_${randomId(24)}`,
  legacyCompletion: (): string => `compl_${randomId(24)}`,
  anthropicToolUse: (): string => `toolu_${randomId(24)}`,
  request: (): string => `req_${randomId(24)}`,
  response: (): string => `resp_${randomId(40)}`,
  responseMessage: (): string => `msg_${randomId(40)}`,
  functionCallItem: (): string => `fc_${randomId(40)}`,
  customToolCallItem: (): string => `ctc_${randomId(40)}`,
  reasoningItem: (): string => `rs_${randomId(40)}`,
  rerank: (): string => `rerank-${randomId(24)}`,
};

/** A tool-call id in a vendor's form: engines make bare random ids; ids that already carry the prefix pass through. */
export function vendorToolId(prefix: "call_" | "toolu_", id: string): string {
  return id.startsWith(prefix) ? id : `${prefix}${id}`;
}
