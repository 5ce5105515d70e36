// What a local model's engine is given: the model and its public id are required, everything else has its default
// here, in one place.
import type { Logger } from "pino";
import type { ThinkingMode } from "./chat-wrappers.js";
import type { MemorySettings } from "./estimate-memory.js";
import type { ModelSource } from "./load-model.js";

export interface LlamaEngineOptions {
  source: ModelSource;
  /** The public model id. */
  alias: string;
  log: Logger;
  /** `auto` or a node-llama-cpp chat wrapper type name. Default: `auto`. */
  chatTemplate?: string;
  /** Tokens per slot; `auto`: the trained context as far as free memory allows. Default: `auto`. */
  contextSize?: number | "auto";
  /** Default: `f16`. */
  kvType?: "f16" | "q8_0";
  /** llama.cpp threads; 0: node-llama-cpp's choice. Default: 0. */
  threads?: number;
  /** Keep the event loop polling while this model generates (see event-loop-poll.ts). Default: false. */
  poll?: boolean;
  /** Saving prompts evicted from slots; maxBytes 0: off. Default: off. */
  promptCache?: { maxBytes: number; dir: string };
  /** Tokens per decode step; 0: node-llama-cpp's default. Default: 0. */
  batchSize?: number;
  /** Map the weights instead of reading them into memory. Default: false. */
  useMmap?: boolean;
  /** Slots (sequences of the one context) decoded together. Default: 1. */
  parallel?: number;
  /** Requests that may wait for a slot; one more is refused as overloaded. Default: 64. */
  maxQueue?: number;
  /** How long a request may wait for a slot; 0: no limit. Default: 0. */
  queueTimeoutMs?: number;
  /** What a request that sets none gets. Default: temperature 0.7, top_p 0.9, thinking left to the model. */
  defaults?: { temperature: number; topP: number; thinking: ThinkingMode };
}

export type LlamaEngineSettings = Required<LlamaEngineOptions>;

export const LLAMA_ENGINE_DEFAULTS: Omit<LlamaEngineSettings, "source" | "alias" | "log"> = {
  chatTemplate: "auto",
  contextSize: "auto",
  kvType: "f16",
  threads: 0,
  poll: false,
  promptCache: { maxBytes: 0, dir: "" },
  batchSize: 0,
  useMmap: false,
  parallel: 1,
  maxQueue: 64,
  queueTimeoutMs: 0,
  defaults: { temperature: 0.7, topP: 0.9, thinking: "auto" },
};

/** `options` with the defaults filled in (an option given as undefined counts as not given). */
export function llamaEngineSettings(options: LlamaEngineOptions): LlamaEngineSettings {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...LLAMA_ENGINE_DEFAULTS, ...given } as LlamaEngineSettings;
}

/** What node-llama-cpp's memory estimate needs of the settings. */
export function memorySettings(settings: LlamaEngineSettings): MemorySettings {
  const { contextSize, parallel, batchSize, kvType, useMmap } = settings;
  return { contextSize, sequences: parallel, batchSize, kvType, useMmap };
}
