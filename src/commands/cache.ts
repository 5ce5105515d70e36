// `lals cache` (what the prompt cache keeps on disk) and `lals cache clear` (remove it). A directory a running LALS
// owns is left alone and named: stop that server first.
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config.js";
import { removeAbandonedDirectories } from "../engines/llama/abandoned-directories.js";
import { isCacheKey } from "../engines/llama/cache-identity.js";
import { lalsCacheDirectory } from "../engines/llama/load-model.js";
import { ownedByAnother } from "../engines/llama/prompt-store.js";

interface KeyDirectory {
  path: string;
  states: number;
  bytes: number;
  owner: string | undefined;
}

async function keyDirectories(parent: string): Promise<KeyDirectory[]> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const found: KeyDirectory[] = [];
  for (const name of names.filter(isCacheKey)) {
    const path = join(parent, name);
    const files = await readdir(path).catch(() => [] as string[]);
    const sizes = await Promise.all(files.map((f) => stat(join(path, f)).then((s) => s.size, () => 0)));
    const owner = await ownedByAnother(path);
    found.push({
      path,
      states: files.filter((f) => f.endsWith(".state")).length,
      bytes: sizes.reduce((sum, size) => sum + size, 0),
      owner: owner === undefined ? undefined : `pid ${owner.pid} on ${owner.host}`,
    });
  }
  return found;
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Returns the exit code: 1 when a directory in use was left. */
export async function cacheCommand(config: Config, args: readonly string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const parent = lalsCacheDirectory("prompts", config.MODEL_PROMPT_CACHE_DIR);
  const [action] = args;
  if (action !== undefined && action !== "clear") throw new Error(`unknown action '${action}'; try: lals cache, lals cache clear`);
  const directories = await keyDirectories(parent);
  if (action === undefined) {
    out.write(`prompt cache: ${parent}\n`);
    for (const d of directories) out.write(`  ${d.path}\t${d.states} saved prompts\t${mib(d.bytes)}${d.owner === undefined ? "" : `\tin use by ${d.owner}`}\n`);
    if (directories.length === 0) out.write("  (empty)\n");
    return 0;
  }
  await removeAbandonedDirectories(parent);
  let removed = 0;
  let bytes = 0;
  let inUse = 0;
  for (const d of directories) {
    if (d.owner !== undefined) {
      inUse++;
      out.write(`left ${d.path}: in use by ${d.owner} (stop it, then clear again)\n`);
      continue;
    }
    await rm(d.path, { recursive: true, force: true });
    removed += d.states;
    bytes += d.bytes;
  }
  out.write(`removed ${removed} saved prompts (${mib(bytes)}) from ${parent}\n`);
  return inUse > 0 ? 1 : 0;
}
