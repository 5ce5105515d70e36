// Finds or downloads the GGUF, then loads it with node-llama-cpp (on the binding llama-binding.ts chose).
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import { resolveModelFile, type LlamaModel } from "node-llama-cpp";
import type { Logger } from "pino";
import { loadLlama } from "./llama-binding.js";

export { loadLlama };

export interface ModelSource {
  /** File path, `hf:` URI or http(s) URL. */
  uri: string;
  /** Where downloads are kept; empty for the default. */
  cacheDir: string;
}

/** An `hf:` URI or http(s) URL, downloaded on first use, rather than a file path. */
export const isRemote = (uri: string): boolean => /^(hf:|https?:\/\/)/i.test(uri);

/** A directory LALS keeps for itself under `~/.cache/lals` (`models`, `prompts`), unless `configured` names one. */
export function lalsCacheDirectory(kind: "models" | "prompts", configured = ""): string {
  return configured === "" ? join(homedir(), ".cache", "lals", kind) : configured;
}

/** Where a model's file is on this machine, without downloading it; undefined when it is not there (yet). */
export async function localModelPath(source: ModelSource): Promise<string | undefined> {
  if (!isRemote(source.uri)) return existsSync(source.uri) ? source.uri : undefined;
  const directory = lalsCacheDirectory("models", source.cacheDir);
  // A URL's file keeps its name in the cache; an hf: URI's name may need the network, so ask node-llama-cpp.
  const named = /^https?:\/\//i.test(source.uri) ? join(directory, basename(new URL(source.uri).pathname)) : undefined;
  if (named !== undefined && existsSync(named)) return named;
  try {
    const path = await resolveModelFile(source.uri, { directory, download: false });
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined; // not resolvable offline: not downloaded
  }
}

/** The local path of the model, downloading it (with a progress bar on a terminal) when it is remote and not cached. */
export async function resolveModelPath(source: ModelSource, log: Logger): Promise<string> {
  if (!isRemote(source.uri)) {
    if (!existsSync(source.uri)) throw new Error(`MODEL_PATH: no file at ${source.uri}`);
    return source.uri;
  }
  const directory = lalsCacheDirectory("models", source.cacheDir);
  log.info({ model: source.uri, directory }, "resolving model (downloads it on first use)");
  try {
    return await resolveModelFile(source.uri, { directory, cli: process.stderr.isTTY === true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `could not download ${source.uri} (${reason}). Offline? Put a GGUF file on this machine and set MODEL_PATH=/path/to/model.gguf`,
      { cause: error },
    );
  }
}

/** `useMmap` false reads the weights into memory once; mapped, llama.cpp's CPU repacking keeps a second copy resident. */
export async function loadModel(path: string, log: Logger, useMmap: boolean): Promise<LlamaModel> {
  const llama = await loadLlama(log);
  return llama.loadModel({ modelPath: path, useMmap });
}
