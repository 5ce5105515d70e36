// The HTTP server, as a table of contents: logging and request ids, browser safety, keys, limits, then one plugin per protocol.
import { createRequire } from "node:module";
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { Config } from "./config.js";
import { GatewayError } from "./core/gateway-error.js";
import { ResponseCache } from "./core/response-cache.js";
import type { Router } from "./engines/router.js";
import { requireApiKeys } from "./http/api-keys.js";
import { browserSafety, parseList } from "./http/browser-safety.js";
import { limitConnections, timeoutOptions } from "./http/connection-limits.js";
import { acceptJsonBodies } from "./http/json-body.js";
import { observe } from "./http/observability.js";
import { limitRates } from "./http/rate-limits.js";
import { echoRequestId, generateRequestId } from "./http/request-id.js";
import { useErrorRenderer } from "./http/protocol-errors.js";
import { serviceRoutes } from "./http/service-routes.js";
import { ANTHROPIC_ENDPOINTS, anthropicPlugin } from "./protocols/anthropic/plugin.js";
import { clientErrorRenderer } from "./protocols/client-protocol.js";
import { completeHandler } from "./protocols/anthropic/complete/route.js";
import { messagesHandler } from "./protocols/anthropic/messages/route.js";
import { inferenceRoute } from "./protocols/inference-route.js";
import { MODELS_ENDPOINTS, modelsRoute } from "./protocols/models-route.js";
import { chatCompletionsHandler } from "./protocols/openai/chat-completions/route.js";
import { completionsHandler } from "./protocols/openai/completions/route.js";
import { OPENAI_ENDPOINTS, openaiPlugin } from "./protocols/openai/plugin.js";
import { createResponsesState, responsesHandler } from "./protocols/openai/responses/route.js";
import { LIMITS } from "./protocols/limits.js";

export const VERSION: string = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

export interface ServerOptions {
  logger?: FastifyServerOptions["loggerInstance"];
  apiKeys?: readonly string[];
  /** Aborted at the shutdown deadline: in-flight generations end with its reason as an error. */
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
  });
  limitConnections(app, config);
  echoRequestId(app);
  browserSafety(app, { allowedOrigins: parseList(config.ALLOWED_ORIGINS), allowedHosts: parseList(config.ALLOWED_HOSTS), boundHost: config.HOST });
  acceptJsonBodies(app);
  requireApiKeys(app, apiKeys);
  observe(app, router, config);
  if (config.RATE_LIMIT_ENABLED) await limitRates(app, { requestsPerMinute: config.RATE_LIMIT_RPM, tokensPerMinute: config.RATE_LIMIT_TPM });
  // Outside the protocol plugins (models, unknown paths), errors take the shape of the client's protocol.
  const renderError = clientErrorRenderer(config);
  useErrorRenderer(app, renderError);

  const cache = config.ENABLE_CACHING ? new ResponseCache({ maxEntries: config.CACHE_MAX_ENTRIES, maxBytes: config.CACHE_MAX_BYTES }) : undefined;
  const deps = { router, config, shutdown, cache };
  // Stored responses and the key that signs reasoning live as long as the server.
  const openaiDeps = { ...deps, responses: createResponsesState() };
  const endpoints = ["GET /", "GET /health", "GET /metrics"];
  if (config.ENABLE_OPENAI_API) {
    await app.register(openaiPlugin, openaiDeps);
    endpoints.push(...OPENAI_ENDPOINTS);
  }
  if (config.ENABLE_ANTHROPIC_API) {
    await app.register(anthropicPlugin, deps);
    endpoints.push(...ANTHROPIC_ENDPOINTS);
  }
  if (config.ENABLE_OPENAI_API || config.ENABLE_ANTHROPIC_API) {
    await app.register(modelsRoute, deps);
    endpoints.push(...MODELS_ENDPOINTS);
  }
  if (config.ENABLE_UNIVERSAL_ROUTER) {
    const handlers = {
      ...(config.ENABLE_OPENAI_API ? { "openai-chat": chatCompletionsHandler(deps), "openai-completions": completionsHandler(deps), "openai-responses": responsesHandler(openaiDeps) } : {}),
      ...(config.ENABLE_ANTHROPIC_API ? { "anthropic-messages": messagesHandler(deps), "anthropic-complete": completeHandler(deps) } : {}),
    };
    await app.register(inferenceRoute, { ...deps, handlers });
    endpoints.push("POST /v1/inference");
  }
  const info = {
    name: "lals",
    version: VERSION,
    protocols: { openai: config.ENABLE_OPENAI_API, anthropic: config.ENABLE_ANTHROPIC_API, universal: config.ENABLE_UNIVERSAL_ROUTER },
    endpoints,
  };
  await app.register(serviceRoutes, { ...deps, info });
  app.setNotFoundHandler((request, reply) => {
    const { status, body } = renderError(new GatewayError("not_found", `No endpoint ${request.method} ${request.url}.`), request);
    return reply.status(status).send(body);
  });
  return app;
}
