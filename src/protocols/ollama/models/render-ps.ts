// Models in memory → Ollama's GET /api/ps, the longest left to live first, as Ollama sorts them.
import type { ModelResponse } from "ollama";
import type { ModelInfo } from "../../../engines/engine.js";
import type { Clock } from "../reply-context.js";
import type { OnWire } from "../wire.js";
import { isOllamaModel, modelDetails, modelDigest } from "./details.js";

export type PsModel = OnWire<Omit<ModelResponse, "modified_at">> & { context_length: number };

/** Ollama's "keep loaded for good" is its longest duration from now (2^63 ns, about 292 years). */
const FOREVER_MS = 9_223_372_036_854;

/** Held in this server's memory: a local model (it has a file, or a size in memory) not unloaded, listed once (not its aliases). */
const inMemory = (model: ModelInfo): boolean =>
  isOllamaModel(model) && model.aliasOf === undefined && model.loaded !== false && (model.file !== undefined || model.memoryBytes !== undefined);

export function renderPs(models: readonly ModelInfo[], clock: Clock): { models: PsModel[] } {
  const forever = clock.wall().getTime() + FOREVER_MS;
  return {
    models: models.filter(inMemory)
      .map((model) => ({ model, expires: model.expiresAt ?? forever }))
      .sort((a, b) => b.expires - a.expires)
      .map(({ model, expires }) => ({
        name: model.id,
        model: model.id,
        size: model.memoryBytes ?? model.file?.sizeBytes ?? 0,
        digest: modelDigest(model),
        details: modelDetails(model),
        expires_at: new Date(expires).toISOString(),
        // The engine does not report how much of a model sits in GPU memory.
        size_vram: 0,
        context_length: model.contextLength,
      })),
  };
}
