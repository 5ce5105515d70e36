// Served models → Anthropic's model objects and paginated model list.
import type { ModelInfo as AnthropicModel } from "@anthropic-ai/sdk/resources/models";
import { GatewayError } from "../../../core/gateway-error.js";
import type { ModelInfo } from "../../../engines/engine.js";

export interface ModelPage {
  data: AnthropicModel[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

export interface PageQuery {
  limit: number;
  beforeId?: string;
  afterId?: string;
}

export function renderAnthropicModel(model: ModelInfo): AnthropicModel {
  return {
    type: "model",
    id: model.id,
    display_name: model.aliasOf === undefined ? model.id : `${model.id} → ${model.aliasOf}`,
    created_at: new Date(model.created * 1000).toISOString(),
    capabilities: null,
    deprecated_at: null,
    lifecycle: "active",
    line: null,
    max_input_tokens: model.contextLength,
    max_tokens: model.contextLength,
    retires_at: null,
  };
}

function cursor(models: readonly ModelInfo[], id: string, param: string): number {
  const index = models.findIndex((m) => m.id === id);
  if (index < 0) throw new GatewayError("invalid_request", `${param}: no model has the id '${id}'.`, { param });
  return index;
}

/** One page of the list: `after_id` pages forward from a model, `before_id` backward. */
export function renderAnthropicModelPage(models: readonly ModelInfo[], query: PageQuery): ModelPage {
  let start = 0;
  let end = models.length;
  if (query.afterId !== undefined) start = cursor(models, query.afterId, "after_id") + 1;
  if (query.beforeId !== undefined) end = cursor(models, query.beforeId, "before_id");
  const backward = query.beforeId !== undefined && query.afterId === undefined;
  const window = models.slice(start, Math.max(start, end));
  const page = backward ? window.slice(-query.limit) : window.slice(0, query.limit);
  const data = page.map(renderAnthropicModel);
  return { data, has_more: page.length < window.length, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
