// Served models → OpenAI's model list and model objects.
import type { Model } from "openai/resources/models";
import type { ModelInfo } from "../../../engines/engine.js";

export function renderModel(model: ModelInfo): Model {
  return { id: model.id, object: "model", created: model.created, owned_by: model.aliasOf === undefined ? model.ownedBy : `${model.ownedBy} (alias of ${model.aliasOf})` };
}

export function renderModelList(models: readonly ModelInfo[]): { object: "list"; data: Model[] } {
  return { object: "list", data: models.map(renderModel) };
}
