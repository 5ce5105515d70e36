// The HTTP server, as a table of contents: logging and request ids, browser safety, keys, limits, then one plugin per protocol.
import { createRequire } from "node:module";
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { Config } from "./config.js";
import { ResponseCache } from "./core/response-cache.js";
import type { Router } from "./engines/router.js";
import { requireApiKeys } from "./http/api-keys.js";
import { browserSafety, parseList } from "./http/browser-safety.js";
import { limitConnections, timeoutOptions } from "./http/connection-limits.js";
import { answerErrors, frameworkErrors } from "./http/error-handler.js";
import { serveInference } from "./http/inference.js";
import { acceptJsonBodies } from "./http/json-body.js";
import { observe } from "./http/observability.js";
import { limitRates } from "./http/rate-limits.js";
import { useRequestContext } from "./http/request-context.js";
import { echoRequestId, generateRequestId } from "./http/request-id.js";
import { enabledProtocols, noteEndpoints, serveEndpoint } from "./http/serve-endpoint.js";
import { serviceRoutes } from "./http/service-routes.js";
import { TenantShares } from "./http/tenant-shares.js";
import { endpointList } from "./protocols/endpoints.js";
import { LIMITS } from "./protocols/limits.js";
import { RedisResponsesStore } from "./protocols/openai/responses/redis-store.js";
import { createResponsesState, type ResponsesState } from "./protocols/openai/responses/state.js";
import { DEFAULT_STORE_LIMITS, type StoreLimits } from "./protocols/openai/responses/store.js";
import { RedisReplyCache } from "./shared/redis-reply-cache.js";
import { SharedRedis } from "./shared/shared-redis.js";
import { sharedSecret } from "./shared/shared-secret.js";

export const VERSION: string = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

export interface ServerOptions {
  logger?: FastifyServerOptions["loggerInstance"];
  apiKeys?: readonly string[];
  /** Aborted at the shutdown deadline: in-flight generations are cancelled (cause `shutdown`) and end with its error. */
  shutdown?: AbortSignal;
}

export async function buildServer(config: Config, router: Router, { logger, apiKeys = [], shutdown = new AbortController().signal }: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(logger === undefined ? { logger: false } : { loggerInstance: logger }),
    genReqId: (raw) => generateRequestId(raw),
    bodyLimit: LIMITS.bodyBytes,
    ...timeoutOptions(config),
    // observe() logs one line per request instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    frameworkErrors: frameworkErrors(enabledProtocols(config)),
  });
  useRequestContext(app);
  const enabled = enabledProtocols(config);
  noteEndpoints(app, enabled);
  limitConnections(app, config);
  echoRequestId(app);
  browserSafety(app, { allowedOrigins: parseList(config.ALLOWED_ORIGINS), allowedHosts: parseList(config.ALLOWED_HOSTS), boundHost: config.HOST });
  acceptJsonBodies(app);
  requireApiKeys(app, apiKeys);
  observe(app, router);
  // With REDIS_URL, what instances behind one balancer must agree on lives in Redis: rate limits and token budgets,
  // the reply cache, the Responses store and the key that signs reasoning. Slots and the prompt cache stay here.
  const shared = config.REDIS_URL === "" ? undefined : await connectShared(app, config.REDIS_URL);
  if (config.RATE_LIMIT_ENABLED) await limitRates(app, { requestsPerMinute: config.RATE_LIMIT_RPM, tokensPerMinute: config.RATE_LIMIT_TPM }, shared);
  answerErrors(app, enabled);

  const cacheLimits = { maxEntries: config.CACHE_MAX_ENTRIES, maxBytes: config.CACHE_MAX_BYTES };
  const cache = !config.ENABLE_CACHING ? undefined : shared === undefined ? new ResponseCache(cacheLimits) : new RedisReplyCache(shared, cacheLimits, app.log);
  // Stored responses and the key that signs reasoning live as long as the server (or, shared, as Redis keeps them).
  const shares = new TenantShares({ perTenant: sharePerTenant(config, apiKeys.length > 0), maxWaiting: config.MAX_QUEUE });
  const deps = { router, config, shutdown, cache, state: { responses: await responsesState(app, config, shared) }, shares };
  const endpoints = endpointList(enabled);
  for (const endpoint of endpoints) serveEndpoint(app, endpoint, deps);
  const listed = ["GET /", "GET /health", "GET /metrics", ...endpoints.flatMap((e) => e.paths.map((path) => `${e.method} ${path.replace(/:(\w+)/g, "{$1}")}`))];
  if (config.ENABLE_UNIVERSAL_ROUTER) {
    serveInference(app, endpoints, deps);
    listed.push("POST /v1/inference");
  }
  const info = {
    name: "lals",
    version: VERSION,
    protocols: { ...enabled, universal: config.ENABLE_UNIVERSAL_ROUTER },
    endpoints: listed,
  };
  await app.register(serviceRoutes, { ...deps, info, keysRequired: apiKeys.length > 0 });
  return app;
}

/** MAX_CONCURRENT_PER_KEY resolved: `auto` leaves one slot to other keys, and caps nothing where there are no keys. */
function sharePerTenant(config: Config, keys: boolean): number {
  const setting = config.MAX_CONCURRENT_PER_KEY;
  if (setting !== "auto") return setting;
  return keys ? Math.max(1, config.MODEL_PARALLEL - 1) : 0;
}

async function connectShared(app: FastifyInstance, url: string): Promise<SharedRedis> {
  const shared = new SharedRedis(url, app.log);
  await shared.connect();
  app.addHook("onClose", () => shared.close());
  return shared;
}

/** The Responses store, shared or this process's; a shared one signs reasoning with the key every instance uses. */
async function responsesState(app: FastifyInstance, config: Config, shared: SharedRedis | undefined): Promise<ResponsesState> {
  const limits = responsesStoreLimits(config);
  if (shared === undefined) return createResponsesState({ limits });
  const reasoningKey = await sharedSecret(shared, "reasoning key", 32).catch((error: unknown) => {
    app.log.error({ err: error instanceof Error ? error.message : String(error) }, "no shared reasoning key yet: this instance signs with its own until restarted");
    return undefined;
  });
  return createResponsesState({ store: new RedisResponsesStore(shared, limits), ...(reasoningKey === undefined ? {} : { reasoningKey }) });
}

/** The Responses store's bounds; a per-key quota left at `auto` is the store's default share of the whole. */
function responsesStoreLimits(config: Config): StoreLimits {
  const { RESPONSES_STORE_MAX_PER_KEY_ENTRIES: perKeyEntries, RESPONSES_STORE_MAX_PER_KEY_BYTES: perKeyBytes } = config;
  return {
    maxEntries: config.RESPONSES_STORE_MAX_ENTRIES,
    maxBytes: config.RESPONSES_STORE_MAX_BYTES,
    maxAgeMs: DEFAULT_STORE_LIMITS.maxAgeMs,
    ...(perKeyEntries === "auto" ? {} : { maxEntriesPerOwner: perKeyEntries }),
    ...(perKeyBytes === "auto" ? {} : { maxBytesPerOwner: perKeyBytes }),
  };
}
