// `encrypted_content` of reasoning items: the thinking text, signed with a key only this server holds, so a client that
// stores nothing (Codex) can hand earlier reasoning back and we can trust it is ours. Signed, not encrypted: the text
// is the client's own output anyway.
import { createHmac, timingSafeEqual } from "node:crypto";

const PREFIX = "lals1.";

const sign = (payload: string, key: Uint8Array): Buffer => createHmac("sha256", key).update(payload).digest();

/** The opaque blob carrying `thinking`. */
export function encodeReasoning(thinking: string, key: Uint8Array): string {
  const payload = Buffer.from(thinking, "utf8").toString("base64url");
  return `${PREFIX}${payload}.${sign(payload, key).toString("base64url")}`;
}

/** The thinking a blob carries, or undefined for one this server (with this key) did not make. */
export function decodeReasoning(blob: string, key: Uint8Array): string | undefined {
  if (!blob.startsWith(PREFIX)) return undefined;
  const [payload, signature, ...rest] = blob.slice(PREFIX.length).split(".");
  if (payload === undefined || signature === undefined || rest.length > 0) return undefined;
  const expected = sign(payload, key);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return Buffer.from(payload, "base64url").toString("utf8");
}
