// A served model as Ollama describes one: which are listed, and each one's digest, details, capabilities and date.
import { createHash } from "node:crypto";
import type { ModelInfo } from "../../../engines/engine.js";
import type { ModelDetails } from "../wire.js";

/**
 * Whether Ollama's clients are shown the model: not a name with wildcards (the vendors' model families, glob
 * aliases), which no client can pick, and not a reranker, which no Ollama endpoint can use. Aliases are listed, as
 * Ollama lists a copied model: under their own name with their target's digest.
 */
export const isOllamaModel = (model: ModelInfo): boolean => !/[*?]/.test(model.id) && model.kind !== "reranker";

/** The file's digest; a model with no local file (an upstream's) gets one of its name, stable for clients that key on it. */
export const modelDigest = (model: ModelInfo): string =>
  model.file?.digest ?? createHash("sha256").update(model.aliasOf ?? model.id).digest("hex");

export function modelDetails(model: ModelInfo): ModelDetails {
  const file = model.file;
  const family = file?.architecture ?? "";
  return {
    parent_model: "",
    format: file === undefined ? "" : "gguf",
    family,
    families: family === "" ? [] : [family],
    parameter_size: file?.sizeLabel ?? "",
    quantization_level: file?.quantization ?? "",
  };
}

/** Thinking shows in a chat template as Qwen's and DeepSeek's tags, or the variables that carry it. */
const THINKING_TEMPLATE = /<think>|enable_thinking|reasoning_content|message\.thinking/;

/**
 * Ollama's capability names. Every chat model here takes tools (the engine offers them whatever the template);
 * thinking is told by the chat template, and a model without a local file is not said to think.
 */
export function capabilities(model: ModelInfo): string[] {
  if (model.kind === "embedding") return ["embedding"];
  if (model.kind === "reranker") return [];
  const template = model.file?.chatTemplate ?? "";
  return ["completion", "tools", ...(THINKING_TEMPLATE.test(template) ? ["thinking"] : [])];
}

export const modifiedAt = (model: ModelInfo): string => new Date(model.file?.modifiedAt ?? model.created * 1000).toISOString();
