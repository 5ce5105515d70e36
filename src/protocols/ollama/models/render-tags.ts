// Served models → Ollama's GET /api/tags.
import type { ModelResponse } from "ollama";
import type { ModelInfo } from "../../../engines/engine.js";
import type { OnWire } from "../wire.js";
import { isOllamaModel, modelDetails, modelDigest, modifiedAt } from "./details.js";

/** The client shares one type between /api/tags and /api/ps; the loaded-model fields are /api/ps's alone. */
export type TagsModel = OnWire<Omit<ModelResponse, "expires_at" | "size_vram">>;

export function renderTags(models: readonly ModelInfo[]): { models: TagsModel[] } {
  return {
    models: models.filter(isOllamaModel).map((model) => ({
      name: model.id,
      model: model.id,
      modified_at: modifiedAt(model),
      size: model.file?.sizeBytes ?? 0,
      digest: modelDigest(model),
      details: modelDetails(model),
    })),
  };
}
