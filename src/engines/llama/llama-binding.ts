// Which llama.cpp binding the process loads, once: node-llama-cpp's prebuilt binaries (what `npm ci` installs), or the
// local build `npm run build:native` made from the source node-llama-cpp ships with LALS's patch to its addon (a
// persistent thread pool per context, decoding and sampling in one native call, several embeddings in one batch).
// Never builds from source itself.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { getLlama, LlamaLogLevel, type Llama } from "node-llama-cpp";
import type { Logger } from "pino";

export type BindingChoice = "auto" | "prebuilt" | "local";

export interface BindingSettings {
  /** `auto`: the local build when there is one. Default: `auto`. */
  choice: BindingChoice;
  /** How long the local build's idle thread-pool workers spin before they sleep, 0–100 (llama-server's --poll); -1: no pool. */
  threadPoll: number;
}

let settings: BindingSettings = { choice: "auto", threadPoll: 50 };
let llamaPromise: Promise<Llama> | undefined;

/** Sets what loadLlama loads; only before it is first called. */
export function configureLlamaBinding(next: BindingSettings): void {
  if (llamaPromise !== undefined) throw new Error("the llama.cpp binding is already loaded");
  settings = next;
}

/** Where node-llama-cpp records its last local build (its llama/lastBuild.json). */
function lastBuildRecord(): string {
  const entry = createRequire(import.meta.url).resolve("node-llama-cpp");
  return join(entry, "..", "..", "llama", "lastBuild.json");
}

/** Whether `npm run build:native` has left a local build. */
export const hasLocalBuild = (): boolean => existsSync(lastBuildRecord());

/** Whether `llama` carries LALS's patch to the addon (a local build of the patched source). */
export function hasNativeFastPath(llama: Llama): boolean {
  const bindings = Reflect.get(llama, "_bindings") as { AddonContext?: { prototype?: Record<string, unknown> } } | undefined;
  return typeof bindings?.AddonContext?.prototype?.decodeBatchAndSample === "function";
}

/** One llama.cpp binding per process. */
export function loadLlama(log: Logger): Promise<Llama> {
  llamaPromise ??= load(log);
  return llamaPromise;
}

async function load(log: Logger): Promise<Llama> {
  const { choice, threadPoll } = settings;
  const local = choice === "local" || (choice === "auto" && hasLocalBuild());
  if (choice === "local" && !hasLocalBuild()) throw new Error("MODEL_BINARY=local, but there is no local build of node-llama-cpp: run npm run build:native");
  // Read by the patched addon as each context is made.
  process.env.LALS_THREAD_POLL = String(threadPoll);
  const options = {
    progressLogs: false,
    logLevel: LlamaLogLevel.warn,
    logger: (level: LlamaLogLevel, message: string) => {
      const text = message.trim();
      if (text === "") return;
      if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) log.error({ source: "llama.cpp" }, text);
      else log.warn({ source: "llama.cpp" }, text);
    },
  };
  const llama = local ? await getLlama("lastBuild", { ...options, usePrebuiltBinaries: true }) : await getLlama({ ...options, build: "never" });
  const fastPath = hasNativeFastPath(llama);
  if (local && llama.buildType !== "localBuild") log.warn("the local build of node-llama-cpp could not be loaded; using the prebuilt binaries");
  log.info({
    binding: llama.buildType === "localBuild" ? "local build" : "prebuilt",
    nativeFastPath: fastPath,
    ...(fastPath ? { threadPoll } : {}),
  }, fastPath ? "llama.cpp binding: the local build with LALS's native fast path" : "llama.cpp binding");
  return llama;
}
