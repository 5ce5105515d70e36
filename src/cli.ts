// The `lals` command line (main.ts runs it): `lals serve [--flag value …]`, `lals models`, `lals pull <model>`, `lals cache [clear]`, `lals fixture <out.gguf>`.
import { ConfigError, flagName, loadConfig, SETTINGS, type Config, type SettingName } from "./config.js";
import { cancelWith } from "./core/cancel-cause.js";
import { loadApiKeys } from "./http/api-keys.js";
import { createLogger } from "./logger.js";
import { freemem } from "node:os";
import type { Logger } from "pino";
import { LlamaEngine } from "./engines/llama/llama-engine.js";
import type { LlamaEngineOptions } from "./engines/llama/llama-engine-options.js";
import { EmbeddingEngine } from "./engines/llama/embedding-engine.js";
import { RankingEngine } from "./engines/llama/ranking-engine.js";
import { configureLlamaBinding } from "./engines/llama/llama-binding.js";
import { isRemote, lalsCacheDirectory } from "./engines/llama/load-model.js";
import { modelFiles } from "./engines/llama/model-files.js";
import { detectModelKind } from "./engines/llama/model-kind.js";
import { MemoryBudget } from "./engines/llama/memory-budget.js";
import { patchProblem } from "./engines/llama/node-llama-cpp-patch.js";
import { OnDemandEngine } from "./engines/llama/on-demand-engine.js";
import { parseModelAliases } from "./engines/model-aliases.js";
import type { Engine, ModelKind } from "./engines/engine.js";
import { FallbackEngine } from "./engines/fallback-engine.js";
import { WithEmbeddings } from "./engines/with-embeddings.js";
import { readModelsFile, upstreamLimitsOf, type LocalModel } from "./models-file.js";
import { PROTOCOL_CLIENTS } from "./protocols/clients.js";
import { Router } from "./engines/router.js";
import { UpstreamEngine } from "./engines/upstream/upstream-engine.js";
import { buildServer, VERSION } from "./server.js";
import { writeFixture } from "./commands/fixture.js";
import { cacheCommand } from "./commands/cache.js";
import { listModels, pullModel } from "./commands/models.js";
import { runCheck } from "./commands/check/index.js";

function usage(): string {
  const rows = (Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][])
    .map(([name, s]) => `  ${flagName(name).padEnd(26)} ${name.padEnd(24)} ${s.doc}${s.default === "" ? "" : ` [${s.default}]`}`);
  return ["usage: lals serve [options]", "       lals models [options]       the configured local models and where their files are", "       lals pull <model> [options] download a model ahead of time", "       lals cache [clear] [options] the prompts saved on disk (clear: remove them)", "       lals fixture <out.gguf>     write the test model (random weights; lals fixture --help)", "       lals check URL [URL2]       verify deployments: every protocol they offer, side by side", "", "Each option may also be set by its environment variable; a flag wins.", "", ...rows, ""].join("\n");
}

const MIB = 1024 * 1024;

/** A local model's engine settings: the server's, with what its LALS_CONFIG entry sets instead. */
function llamaOptions(config: Config, log: Logger, local?: LocalModel): LlamaEngineOptions {
  return {
    source: { uri: local?.path ?? config.MODEL_PATH, cacheDir: config.MODEL_CACHE_DIR },
    alias: local?.id ?? config.MODEL_ALIAS,
    chatTemplate: local?.chatTemplate ?? config.MODEL_CHAT_TEMPLATE,
    contextSize: local?.contextSize ?? config.MODEL_N_CTX,
    kvType: local?.kvType ?? config.MODEL_KV_TYPE,
    threads: local?.threads ?? config.threads,
    poll: config.MODEL_POLL,
    promptCache: { maxBytes: config.MODEL_PROMPT_CACHE * MIB, dir: lalsCacheDirectory("prompts", config.MODEL_PROMPT_CACHE_DIR) },
    batchSize: local?.batchSize ?? config.MODEL_BATCH_SIZE,
    useMmap: config.MODEL_MMAP,
    parallel: local?.parallel ?? config.MODEL_PARALLEL,
    maxQueue: config.MAX_QUEUE,
    queueTimeoutMs: config.QUEUE_TIMEOUT * 1000,
    defaults: {
      temperature: local?.temperature ?? config.MODEL_TEMP,
      topP: local?.topP ?? config.MODEL_TOP_P,
      thinking: local?.thinking ?? config.MODEL_THINKING,
    },
    log,
  };
}

/** An entry's kind: as it says, else from its GGUF's header (a remote or missing file is taken for a chat model). */
async function kindOf(local: LocalModel): Promise<ModelKind> {
  if (local.kind !== undefined || isRemote(local.path)) return local.kind ?? "chat";
  return detectModelKind(local.path).catch(() => "chat" as const);
}

/** The settings of a local model loaded on demand with one context of its own (embedding, ranking). */
function onDemandOptions(config: Config, log: Logger, budget: MemoryBudget, local: LocalModel) {
  return {
    id: local.id, source: { uri: local.path, cacheDir: config.MODEL_CACHE_DIR },
    contextSize: local.contextSize ?? config.MODEL_N_CTX, threads: local.threads ?? config.threads, useMmap: config.MODEL_MMAP,
    maxQueue: config.MAX_QUEUE, queueTimeoutMs: config.QUEUE_TIMEOUT * 1000, idleTtlMs: config.MODEL_IDLE_TTL * 1000, budget, log,
  };
}

/** The engine embedding with a local model: its own load of the file, within the same budget. */
function embeddingEngine(config: Config, log: Logger, budget: MemoryBudget, local: LocalModel, alsoChat: boolean): EmbeddingEngine {
  return new EmbeddingEngine({
    ...onDemandOptions(config, log, budget, local), ...(alsoChat ? { budgetId: `${local.id}#embeddings` } : {}),
    matryoshka: local.matryoshka ?? false,
  });
}

export async function serve(config: Config): Promise<void> {
  const log = createLogger(config);
  // Before any model loads: without the patch, cancellation and shared decode steps would silently degrade.
  const unpatched = patchProblem();
  if (unpatched !== undefined) {
    log.fatal(unpatched);
    process.exit(1);
  }
  configureLlamaBinding({ choice: config.MODEL_BINARY, threadPoll: config.MODEL_THREAD_POLL });
  const engine = new LlamaEngine(llamaOptions(config, log));
  const budget = new MemoryBudget(config.MODEL_MEMORY_LIMIT > 0 ? config.MODEL_MEMORY_LIMIT * MIB : Math.floor(0.9 * freemem()));
  let router: Router;
  const locals: OnDemandEngine[] = [];
  const embedders: (EmbeddingEngine | RankingEngine)[] = [];
  try {
    const file = config.LALS_CONFIG === "" ? { upstreams: [], locals: [], aliases: [] } : readModelsFile(config.LALS_CONFIG);
    const kinds = await Promise.all(file.locals.map(kindOf));
    const embedderFor = (m: LocalModel, alsoChat: boolean): EmbeddingEngine => {
      const embedder = embeddingEngine(config, log, budget, m, alsoChat);
      embedders.push(embedder);
      return embedder;
    };
    const localEngines = file.locals.map((m, i): Engine => {
      if (kinds[i] === "embedding") return embedderFor(m, false);
      if (kinds[i] === "reranker") {
        const reranker = new RankingEngine(onDemandOptions(config, log, budget, m));
        embedders.push(reranker);
        return reranker;
      }
      const chat = new OnDemandEngine({ engine: llamaOptions(config, log, m), budget, idleTtlMs: config.MODEL_IDLE_TTL * 1000, minResidencyMs: config.MODEL_MIN_RESIDENCY * 1000, log });
      locals.push(chat);
      return m.embeddings === true ? new WithEmbeddings(chat, embedderFor(m, true)) : chat;
    });
    const upstreams = file.upstreams.map((m) => new UpstreamEngine({
      id: m.id, protocol: PROTOCOL_CLIENTS[m.upstream.protocol], model: m.upstream.model, replicas: m.upstream.replicas, balance: m.upstream.balance,
      healthCheckMs: m.upstream.healthCheckSeconds * 1000, limits: upstreamLimitsOf(m), ...(m.contextLength === undefined ? {} : { contextLength: m.contextLength }), log,
    }));
    const served: Engine[] = [engine, ...localEngines, ...upstreams];
    const withFallbacks = upstreams.map((upstream, i) => {
      const fallback = file.upstreams[i]!.fallback;
      if (fallback === undefined) return upstream;
      const target = served.find((e) => e !== upstream && e.models().some((m) => m.id === fallback));
      if (target === undefined) throw new Error(`LALS_CONFIG: the fallback '${fallback}' of '${file.upstreams[i]!.id}' is not another served model`);
      return new FallbackEngine(upstream, target);
    });
    const sources = new Map([[config.MODEL_ALIAS, config.MODEL_PATH], ...file.locals.map((m) => [m.id, m.path] as const)]);
    const files = modelFiles(sources, config.MODEL_CACHE_DIR);
    router = new Router([engine, ...localEngines, ...withFallbacks], { aliases: [...parseModelAliases(config.MODEL_ALIASES), ...file.aliases], vendorNames: config.MODEL_VENDOR_NAMES, files });
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  const apiKeys = loadKeysOrExit(config);
  const shutdown = new AbortController();
  const app = await buildServer(config, router, { logger: log, apiKeys, shutdown: shutdown.signal });
  await app.listen({ host: config.HOST, port: config.PORT });
  if (apiKeys.length > 0) log.info({ keys: apiKeys.length }, "API keys required");
  else if (isLoopback(config.HOST)) log.info("no API keys configured: only this machine can reach LALS (HOST is loopback)");
  else log.warn({ host: config.HOST }, "no API keys configured and HOST is not loopback: anyone who can reach this address can use the model; set API_KEYS");

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    // New connections are refused at once; in-flight requests get SHUTDOWN_TIMEOUT seconds, then their generation is
    // cancelled and they end with an error in their protocol's shape. Connections still open a moment later are cut.
    const graceMs = config.SHUTDOWN_TIMEOUT * 1000;
    setTimeout(() => cancelWith(shutdown, { type: "shutdown" }), graceMs).unref();
    setTimeout(() => app.server.closeAllConnections(), graceMs + 2000).unref();
    await app.close();
    await Promise.all([engine.dispose(), ...locals.map((local) => local.dispose()), ...embedders.map((embedder) => embedder.dispose())]);
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));

  try {
    await engine.load();
    const [loaded] = engine.models();
    budget.hold(loaded!.id, loaded!.memoryBytes ?? 0);
    log.info({ limitMiB: Math.round(budget.limitBytes / MIB), usedMiB: Math.round(budget.usedBytes / MIB), onDemand: [...locals, ...embedders].map((l) => l.id) }, "model memory budget");
  } catch (error) {
    log.fatal(error instanceof Error ? error.message : String(error));
    await app.close();
    process.exit(1);
  }
}

function loadKeysOrExit(config: Config): string[] {
  try {
    return loadApiKeys(config.API_KEYS, config.API_KEYS_FILE);
  } catch (error) {
    throw new ConfigError(`API_KEYS_FILE=${JSON.stringify(config.API_KEYS_FILE)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const isLoopback = (host: string): boolean => host === "localhost" || host === "::1" || host.startsWith("127.");

async function main(argv: string[]): Promise<void> {
  const [command = "serve", ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") return void process.stdout.write(usage());
  if (command === "--version" || command === "-v") return void process.stdout.write(`${VERSION}\n`);
  if (command === "fixture") return writeFixture(rest);
  if (command === "check") {
    process.exitCode = await runCheck(rest);
    return;
  }
  if (rest.includes("--help") || rest.includes("-h")) return void process.stdout.write(usage());
  if (command === "models") return listModels(loadConfig(rest));
  if (command === "cache") {
    const action = rest[0] !== undefined && !rest[0].startsWith("--") ? rest.slice(0, 1) : [];
    process.exitCode = await cacheCommand(loadConfig(rest.slice(action.length)), action);
    return;
  }
  if (command === "pull") {
    const [name, ...flags] = rest;
    if (name === undefined) throw new ConfigError("usage: lals pull <model id, alias, hf: URI or URL> [--flag value …]");
    return pullModel(loadConfig(flags), name);
  }
  if (command !== "serve") throw new ConfigError(`unknown command '${command}'; try: lals serve, lals models, lals pull <model>, lals cache [clear], lals fixture <out.gguf>, lals check URL (--help lists the settings)`);
  await serve(loadConfig(rest));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`lals: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
