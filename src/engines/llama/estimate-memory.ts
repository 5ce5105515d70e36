// What a local model will hold in RAM once loaded with its settings: node-llama-cpp's own estimate from the GGUF.
import { GgmlType, GgufInsights, readGgufFileInfo } from "node-llama-cpp";
import type { Llama } from "node-llama-cpp";

export interface MemorySettings {
  contextSize: number | "auto";
  sequences: number;
  batchSize: number;
  kvType: "f16" | "q8_0";
  useMmap: boolean;
}

/** What node-llama-cpp can tell of a model file before loading it (a loaded model has its own: `fileInsights`). */
export async function readInsights(path: string, llama: Llama): Promise<GgufInsights> {
  return GgufInsights.from(await readGgufFileInfo(path), llama);
}

/** Bytes of weights and context (KV cache and compute buffers) the model will use on the CPU. */
export async function estimateMemory(insights: GgufInsights, settings: MemorySettings): Promise<number> {
  const weights = await insights.estimateModelResourceRequirementsV2({ gpuLayers: 0, useMmap: settings.useMmap });
  const kvType = settings.kvType === "q8_0" ? GgmlType.Q8_0 : GgmlType.F16;
  const context = await insights.estimateContextResourceRequirementsV2({
    // `auto` may take up to the trained context: reserve for that, the most it can become.
    contextSize: settings.contextSize === "auto" ? insights.trainContextSize ?? 4096 : settings.contextSize,
    modelGpuLayers: 0,
    sequences: settings.sequences,
    ...(settings.batchSize > 0 ? { batchSize: settings.batchSize } : {}),
    kvCacheKeyType: kvType,
    kvCacheValueType: kvType,
    useMmap: settings.useMmap,
  });
  return weights.cpuRam + context.cpuRam;
}
