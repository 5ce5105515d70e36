// `lals models` (the configured local models and where their files are) and `lals pull <model>` (download ahead).
import type { Config } from "../config.js";
import { isRemote, lalsCacheDirectory, localModelPath, resolveModelPath } from "../engines/llama/load-model.js";
import { resolveAlias } from "../engines/model-aliases.js";
import { readModelsFile } from "../models-file.js";
import { createLogger } from "../logger.js";

interface ConfiguredModel {
  id: string;
  uri: string;
  aliases: string[];
  /** `default` is MODEL_PATH's, loaded at start-up; the others load on their first request. */
  loading: "default" | "on demand";
}

function configuredModels(config: Config): ConfiguredModel[] {
  const file = config.LALS_CONFIG === "" ? { locals: [], aliases: [] } : readModelsFile(config.LALS_CONFIG);
  const aliasesOf = (id: string): string[] => file.aliases.filter((a) => a.target === id).map((a) => a.name);
  return [
    { id: config.MODEL_ALIAS, uri: config.MODEL_PATH, aliases: aliasesOf(config.MODEL_ALIAS), loading: "default" },
    ...file.locals.map((m) => ({ id: m.id, uri: m.path, aliases: m.aliases, loading: "on demand" as const })),
  ];
}

const cacheDir = (config: Config): string => lalsCacheDirectory("models", config.MODEL_CACHE_DIR);

/** Where a model's file is on this machine, without downloading it. */
async function whereIs(uri: string, config: Config): Promise<string> {
  const path = await localModelPath({ uri, cacheDir: config.MODEL_CACHE_DIR });
  if (path !== undefined) return path;
  return isRemote(uri) ? `not downloaded yet (lals pull; it goes to ${cacheDir(config)})` : `${uri} (missing)`;
}

export async function listModels(config: Config, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  for (const model of configuredModels(config)) {
    out.write(`${model.id}\t${model.loading}\t${model.uri}\n  file: ${await whereIs(model.uri, config)}\n`);
    if (model.aliases.length > 0) out.write(`  aliases: ${model.aliases.join(", ")}\n`);
  }
}

/** Downloads a configured model (by id or alias) or any GGUF URI, with a progress bar on a terminal. */
export async function pullModel(config: Config, name: string, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const models = configuredModels(config);
  const aliases = models.flatMap((m) => m.aliases.map((alias) => ({ name: alias, target: m.id })));
  const id = models.some((m) => m.id === name) ? name : resolveAlias(aliases, name);
  const model = models.find((m) => m.id === id);
  const uri = model?.uri ?? name;
  if (model === undefined && !isRemote(uri)) {
    throw new Error(`'${name}' is neither a configured model (${models.map((m) => m.id).join(", ")}) nor an hf: URI or URL`);
  }
  const path = await resolveModelPath({ uri, cacheDir: config.MODEL_CACHE_DIR }, createLogger({ ...config, LOG_LEVEL: "warn" }));
  out.write(`${model?.id ?? uri}: ${path}\n`);
}
