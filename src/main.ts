#!/usr/bin/env node
// The `lals` command: `lals serve [--flag value …]`.
import { ConfigError, flagName, loadConfig, SETTINGS, type Config, type SettingName } from "./config.js";
import { GatewayError } from "./core/gateway-error.js";
import { loadApiKeys } from "./http/api-keys.js";
import { createLogger } from "./logger.js";
import { LlamaEngine } from "./engines/llama/llama-engine.js";
import { parseModelAliases } from "./engines/model-aliases.js";
import type { Engine } from "./engines/engine.js";
import { FallbackEngine } from "./engines/fallback-engine.js";
import { readModelsFile, upstreamLimitsOf } from "./engines/models-file.js";
import { Router } from "./engines/router.js";
import { UpstreamEngine } from "./engines/upstream/upstream-engine.js";
import { buildServer, VERSION } from "./server.js";

function usage(): string {
  const rows = (Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][])
    .map(([name, s]) => `  ${flagName(name).padEnd(26)} ${name.padEnd(24)} ${s.doc}${s.default === "" ? "" : ` [${s.default}]`}`);
  return ["usage: lals serve [options]", "", "Each option may also be set by its environment variable; a flag wins.", "", ...rows, ""].join("\n");
}

export async function serve(config: Config): Promise<void> {
  const log = createLogger(config);
  const engine = new LlamaEngine({
    source: { uri: config.MODEL_PATH, cacheDir: config.MODEL_CACHE_DIR },
    alias: config.MODEL_ALIAS,
    chatTemplate: config.MODEL_CHAT_TEMPLATE,
    contextSize: config.MODEL_N_CTX,
    kvType: config.MODEL_KV_TYPE,
    threads: config.threads,
    batchSize: config.MODEL_BATCH_SIZE,
    useMmap: config.MODEL_MMAP,
    parallel: config.MODEL_PARALLEL,
    maxQueue: config.MAX_QUEUE,
    queueTimeoutMs: config.QUEUE_TIMEOUT * 1000,
    defaults: { temperature: config.MODEL_TEMP, topP: config.MODEL_TOP_P, thinking: config.MODEL_THINKING },
    log,
  });
  let router: Router;
  try {
    const file = config.LALS_CONFIG === "" ? { upstreams: [], aliases: [] } : readModelsFile(config.LALS_CONFIG);
    const upstreams = file.upstreams.map((m) => new UpstreamEngine({
      id: m.id, protocol: m.upstream.protocol, model: m.upstream.model, replicas: m.upstream.replicas, balance: m.upstream.balance,
      healthCheckMs: m.upstream.healthCheckSeconds * 1000, limits: upstreamLimitsOf(m), ...(m.contextLength === undefined ? {} : { contextLength: m.contextLength }), log,
    }));
    const served: Engine[] = [engine, ...upstreams];
    const withFallbacks = upstreams.map((upstream, i) => {
      const fallback = file.upstreams[i]!.fallback;
      if (fallback === undefined) return upstream;
      const target = served.find((e) => e !== upstream && e.models().some((m) => m.id === fallback));
      if (target === undefined) throw new Error(`LALS_CONFIG: the fallback '${fallback}' of '${file.upstreams[i]!.id}' is not another served model`);
      return new FallbackEngine(upstream, target);
    });
    router = new Router([engine, ...withFallbacks], [...parseModelAliases(config.MODEL_ALIASES), ...file.aliases]);
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
    setTimeout(() => shutdown.abort(new GatewayError("unavailable", "The server is shutting down; retry shortly.", { retryAfter: 5 })), graceMs).unref();
    setTimeout(() => app.server.closeAllConnections(), graceMs + 2000).unref();
    await app.close();
    await engine.dispose();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));

  try {
    await engine.load();
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
  if (command !== "serve") throw new ConfigError(`unknown command '${command}'; try: lals serve --help`);
  if (rest.includes("--help") || rest.includes("-h")) return void process.stdout.write(usage());
  await serve(loadConfig(rest));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`lals: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
