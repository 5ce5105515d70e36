// The model's one context: its size, its KV cache type, a sequence per slot, and how a decode step's batch is shared.
import type { LlamaContext, LlamaModel } from "node-llama-cpp";
import type { LlamaEngineSettings } from "./llama-engine-options.js";
import { shareBatch } from "./share-batch.js";

const MIN_AUTO_CONTEXT = 2048;
const KV_TYPES = { f16: "F16", q8_0: "Q8_0" } as const;

/** A context for `settings.parallel` slots of `settings.contextSize` tokens each. */
export function createContext(model: LlamaModel, settings: LlamaEngineSettings): Promise<LlamaContext> {
  const { contextSize, kvType, parallel, threads, batchSize } = settings;
  return model.createContext({
    // node-llama-cpp sizes an `auto` context from the model's trained context and the memory free for it.
    contextSize: contextSize === "auto" ? { min: MIN_AUTO_CONTEXT, max: model.trainContextSize } : contextSize,
    experimentalKvCacheKeyType: KV_TYPES[kvType],
    experimentalKvCacheValueType: KV_TYPES[kvType],
    sequences: parallel,
    ...(threads > 0 ? { threads } : {}),
    ...(batchSize > 0 ? { batchSize } : {}),
    batching: { itemPrioritizationStrategy: shareBatch },
  });
}

/** Why the context is what it is, for the log line of a loaded model. */
export function contextChoice(model: LlamaModel, context: LlamaContext, settings: LlamaEngineSettings): string {
  return settings.contextSize === "auto"
    ? `auto: the model was trained on ${model.trainContextSize} tokens; ${context.contextSize} per slot fit the free memory`
    : "MODEL_N_CTX";
}

/** A failed load's reason, with a hint where the settings are the likely cause. */
export function loadFailureReason(error: unknown, settings: LlamaEngineSettings): string {
  const reason = error instanceof Error ? error.message : String(error);
  // llama.cpp quantizes the KV cache in blocks of 32 values: a model with smaller attention heads cannot use it.
  if (settings.kvType !== "f16" && /context/i.test(reason)) return `${reason} (MODEL_KV_TYPE=${settings.kvType} needs attention heads whose size is a multiple of 32; try f16)`;
  return reason;
}
