// What a saved sequence state depends on, as one key: the model file's content (sampled, so that a copy of the file
// finds its states and another file of the same name does not), the context settings that change the KV cache's
// layout, and the library that wrote it. States under another key are never read.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";

/** Pieces of the file read for its identity: the first and last MiB and evenly spaced ones between (weights differ there). */
const SAMPLES = 16;
const SAMPLE_BYTES = 1 << 20;

export interface KvLayout {
  kvType: string;
  /** V is stored transposed without flash attention: a state from one cannot be read into the other. */
  flashAttention: boolean | string;
  swaFullCache: boolean;
}

/** A digest of the model file's size and sampled content. */
export async function modelFileIdentity(path: string): Promise<string> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const hash = createHash("sha256").update(`size:${size}\n`);
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const last = Math.max(0, size - SAMPLE_BYTES);
    for (let i = 0; i < SAMPLES; i++) {
      const { bytesRead } = await file.read(buffer, 0, SAMPLE_BYTES, Math.floor((last * i) / (SAMPLES - 1)));
      hash.update(buffer.subarray(0, bytesRead));
    }
    return hash.digest("hex");
  } finally {
    await file.close();
  }
}

/** The state-file format is llama.cpp's, built from the source this node-llama-cpp ships. */
function libraryVersion(): string {
  // Its entry is dist/index.js; the package does not export its package.json.
  const entry = createRequire(import.meta.url).resolve("node-llama-cpp");
  const { version } = JSON.parse(readFileSync(join(entry, "..", "..", "package.json"), "utf8")) as { version: string };
  return `node-llama-cpp@${version}`;
}

const KEY_LENGTH = 32;

/** Whether `name` is a key cacheKey makes (the name of a directory of saved states). */
export const isCacheKey = (name: string): boolean => new RegExp(`^[0-9a-f]{${KEY_LENGTH}}$`).test(name);

/** The key a model's saved states are kept under. */
export function cacheKey(modelIdentity: string, layout: KvLayout): string {
  const described = JSON.stringify({ model: modelIdentity, kv: layout.kvType, flashAttention: layout.flashAttention, swaFull: layout.swaFullCache, library: libraryVersion() });
  return createHash("sha256").update(described).digest("hex").slice(0, KEY_LENGTH);
}
