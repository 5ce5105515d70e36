// Served models → Gemini's Model objects and its paged model list.
import { GatewayError } from "../../../core/gateway-error.js";
import type { ModelInfo } from "../../../engines/engine.js";
import type { GeminiModel } from "../wire-types.js";

export interface GeminiModelPage {
  models: GeminiModel[];
  /** Absent on the last page. */
  nextPageToken?: string;
}

export interface PageQuery {
  pageSize: number;
  pageToken?: string | undefined;
}

/** Gemini's own default page size. */
export const DEFAULT_PAGE_SIZE = 50;

const CHAT_METHODS = ["generateContent", "streamGenerateContent", "countTokens"];
const EMBEDDING_METHODS = ["embedContent", "batchEmbedContents"];

function methodsOf(model: ModelInfo): string[] {
  if (model.kind === "embedding") return EMBEDDING_METHODS;
  // A reranker answers none of Gemini's methods.
  if (model.kind === "reranker") return [];
  return CHAT_METHODS;
}

export function renderGeminiModel(model: ModelInfo): GeminiModel {
  const chat = model.kind === undefined || model.kind === "chat";
  return {
    name: `models/${model.id}`,
    baseModelId: model.aliasOf ?? model.id,
    version: "001",
    displayName: model.aliasOf === undefined ? model.id : `${model.id} → ${model.aliasOf}`,
    description: model.aliasOf === undefined ? `${model.id}, served by ${model.ownedBy}.` : `An alias of ${model.aliasOf}, served by ${model.ownedBy}.`,
    inputTokenLimit: model.contextLength,
    // What is left of the context after the prompt: at most all of it.
    outputTokenLimit: model.contextLength,
    supportedGenerationMethods: methodsOf(model),
    ...(chat ? { thinking: true } : {}),
  };
}

/** The page token is the offset of the page's first model, as a decimal string. */
function offsetOf(token: string | undefined, count: number): number {
  if (token === undefined || token === "") return 0;
  const offset = /^\d{1,9}$/.test(token) ? Number(token) : NaN;
  if (!(offset <= count)) throw new GatewayError("invalid_request", "pageToken: not a token this server gave.", { param: "pageToken" });
  return offset;
}

export function renderGeminiModelPage(models: readonly ModelInfo[], query: PageQuery): GeminiModelPage {
  const start = offsetOf(query.pageToken, models.length);
  const end = start + query.pageSize;
  return {
    models: models.slice(start, end).map(renderGeminiModel),
    ...(end < models.length ? { nextPageToken: String(end) } : {}),
  };
}

/** The model a `models/{model}` path names. */
export function findGeminiModel(models: readonly ModelInfo[], id: string): GeminiModel {
  const model = models.find((m) => m.id === id);
  if (model === undefined) throw new GatewayError("not_found", `models/${id} is not found.`, { param: "model" });
  return renderGeminiModel(model);
}
