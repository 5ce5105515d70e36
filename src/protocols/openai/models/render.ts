// Served models → OpenAI's model list and model objects.
import type { Model } from "openai/resources/models";
import type { ModelInfo } from "../../../engines/engine.js";

/** OpenAI's model object; models loaded on demand also say whether they are in memory now (`loaded`), embedding models their `kind`. */
export type LalsModel = Model & { loaded?: boolean; kind?: string };

export function renderModel(model: ModelInfo): LalsModel {
  return {
    id: model.id,
    object: "model",
    created: model.created,
    owned_by: model.aliasOf === undefined ? model.ownedBy : `${model.ownedBy} (alias of ${model.aliasOf})`,
    ...(model.loaded === undefined ? {} : { loaded: model.loaded }),
    ...(model.kind === undefined ? {} : { kind: model.kind }),
  };
}

export function renderModelList(models: readonly ModelInfo[]): { object: "list"; data: LalsModel[] } {
  return { object: "list", data: models.map(renderModel) };
}
