// Anthropic thinking blocks carry a signature that clients must send back unchanged with the block. Ours is a digest of
// the thinking text: it lets clients that insist on one round-trip the block; it is not checked on the way back in.
import { createHash } from "node:crypto";

export function thinkingSignature(thinking: string): string {
  return createHash("sha256").update(`lals-thinking:${thinking}`).digest("base64");
}
