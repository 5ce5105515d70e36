// The GGUF files of the configured local models, by served id: described from their headers when they are on this
// machine (never downloading them), and fetched ahead of their first use (Ollama's /api/pull, like `lals pull`).
import { resolveModelFile } from "node-llama-cpp";
import type { ModelFileDetails } from "../engine.js";
import { isRemote, lalsCacheDirectory, localModelPath } from "./load-model.js";
import { describeModelFile } from "./model-file-details.js";

export interface PullProgress {
  total: number;
  completed: number;
}

export interface ModelFiles {
  has(id: string): boolean;
  details(id: string): Promise<ModelFileDetails | undefined>;
  /** The file's local path once it is there, reporting the download's progress meanwhile; several pulls of one model share its download. */
  pull(id: string, onProgress: (progress: PullProgress) => void): Promise<string>;
}

export function modelFiles(sources: ReadonlyMap<string, string>, cacheDir: string): ModelFiles {
  const downloads = new Map<string, { promise: Promise<string>; listeners: Set<(progress: PullProgress) => void> }>();
  const uriOf = (id: string): string => {
    const uri = sources.get(id);
    if (uri === undefined) throw new Error(`no local model '${id}'`);
    return uri;
  };
  return {
    has: (id) => sources.has(id),
    async details(id) {
      const uri = sources.get(id);
      const path = uri === undefined ? undefined : await localModelPath({ uri, cacheDir });
      return path === undefined ? undefined : describeModelFile(path);
    },
    async pull(id, onProgress) {
      const uri = uriOf(id);
      const present = await localModelPath({ uri, cacheDir });
      if (present !== undefined || !isRemote(uri)) {
        if (present === undefined) throw new Error(`the model '${id}' has no file at ${uri}`);
        return present;
      }
      let download = downloads.get(id);
      if (download === undefined) {
        const listeners = new Set<(progress: PullProgress) => void>();
        const promise = resolveModelFile(uri, {
          directory: lalsCacheDirectory("models", cacheDir),
          cli: false,
          onProgress: ({ totalSize, downloadedSize }) => {
            for (const listener of listeners) listener({ total: totalSize, completed: downloadedSize });
          },
        }).finally(() => downloads.delete(id));
        downloads.set(id, (download = { promise, listeners }));
      }
      download.listeners.add(onProgress);
      try {
        return await download.promise;
      } finally {
        download.listeners.delete(onProgress);
      }
    },
  };
}
