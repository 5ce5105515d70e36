// The one function that serves any endpoint record: the bounds pre-pass and validation of what the record declares,
// the caller's tenant, and whatever the answer needs from the engines (generation, token counts, the model list).
// Auth, rate limits, request logs and metrics are hooks on the whole server; the error shape is the record's.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Answer, Endpoint, EndpointInput, Protocol } from "../protocols/endpoint.js";
import { clientProtocol, PROTOCOL_ERRORS, type EnabledProtocols } from "../protocols/errors.js";
import { checkJsonBounds } from "../protocols/json-bounds.js";
import { parseOptions, validate } from "../protocols/validate.js";
import type { RouteDeps } from "./route-deps.js";
import { sendGenerations } from "./send-generation.js";
import { sendEmbeddings } from "./send-embeddings.js";
import { sendPull } from "./send-pull.js";
import { sendRank } from "./send-rank.js";
import { sendDetokenize, sendTokenize } from "./send-tokenize.js";
import { estimateTokens } from "./token-estimate.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The record a route serves, so hooks and the error handler know it before the handler runs. */
    endpoint?: Endpoint;
    /** The protocol a route without a record answers in until it knows better (/v1/inference before detection). */
    protocol?: Protocol;
  }
}

export const enabledProtocols = (config: RouteDeps["config"]): EnabledProtocols => ({
  openai: config.ENABLE_OPENAI_API,
  anthropic: config.ENABLE_ANTHROPIC_API,
  gemini: config.ENABLE_GEMINI_API,
  ollama: config.ENABLE_OLLAMA_API,
});

/** The protocol a record answers `request` in. */
export function protocolFor(endpoint: Endpoint, request: FastifyRequest, enabled: EnabledProtocols): Protocol {
  return endpoint.protocol === "by-client" ? clientProtocol(request.headers, enabled, request.url) : endpoint.protocol;
}

/** Notes on the request which record answers it: its errors take that record's shape from here on. */
export function answeredBy(request: FastifyRequest, endpoint: Endpoint, enabled: EnabledProtocols): void {
  request.lals.endpoint = endpoint;
  request.lals.protocol = protocolFor(endpoint, request, enabled);
}

/** The error shape for `request`: its record's, else its protocol's, else the one its client speaks. */
export function errorShapeFor(request: FastifyRequest, enabled: EnabledProtocols) {
  const { endpoint, protocol } = request.lals;
  return endpoint?.errors ?? PROTOCOL_ERRORS[protocol ?? clientProtocol(request.headers, enabled, request.url)];
}

/** Notes each request's record as it arrives, before any other hook can refuse it, so every error takes its shape. */
export function noteEndpoints(app: FastifyInstance, enabled: EnabledProtocols): void {
  app.addHook("onRequest", async (request) => {
    const { endpoint, protocol } = request.routeOptions.config;
    if (endpoint !== undefined) answeredBy(request, endpoint, enabled);
    else request.lals.protocol = protocol;
  });
}

/** Registers every path of `endpoint`. */
export function serveEndpoint(app: FastifyInstance, endpoint: Endpoint, deps: RouteDeps): void {
  for (const url of endpoint.paths) {
    app.route({
      method: endpoint.method,
      url,
      config: { endpoint },
      handler: (request, reply) => answerWith(endpoint, request, reply, deps),
    });
  }
}

/** Answers `request` with `endpoint`, which the request has been noted as answered by (also by /v1/inference once it has detected one). */
export async function answerWith(endpoint: Endpoint, request: FastifyRequest, reply: FastifyReply, deps: RouteDeps, params?: Record<string, string>): Promise<unknown> {
  const input = inputOf(endpoint, request, deps, params ?? request.params);
  return settle(await endpoint.answer(input), input, reply, deps);
}

/** `params`: the path's, or (for /v1/inference) what detection read from the body in their place. */
function inputOf(endpoint: Endpoint, request: FastifyRequest, deps: RouteDeps, params: unknown): EndpointInput<unknown, unknown, unknown> {
  // The cheap walk first: no schema looks at a body nested too deep or holding too much.
  if (endpoint.body !== undefined) checkJsonBounds(request.body);
  return {
    body: endpoint.body === undefined ? undefined : validate(endpoint.body, request.body),
    params: endpoint.params === undefined ? undefined : validate(endpoint.params, params ?? {}),
    query: endpoint.query === undefined ? undefined : validate(endpoint.query, request.query ?? {}),
    partition: request.lals.partition,
    requestId: request.id,
    headers: request.headers,
    protocol: request.lals.protocol ?? "openai",
    options: parseOptions(deps.config),
    state: deps.state,
  };
}

async function settle(answer: Answer, input: EndpointInput<unknown, unknown, unknown>, reply: FastifyReply, deps: RouteDeps): Promise<unknown> {
  switch (answer.type) {
    case "json":
      return answer.body;
    case "models":
      return answer.render(answer.withFiles === true ? await deps.router.modelsWithFiles() : deps.router.models());
    case "pull":
      return sendPull(reply, deps, answer);
    case "keep_alive":
      return answer.render(await deps.router.keepAlive(answer.model, answer.seconds));
    case "count_tokens": {
      const engine = deps.router.resolve(answer.request.model);
      // Counting reads the whole prompt: it is charged to the token budget like a generation's prompt.
      await reply.request.lals.reserveTokens?.(estimateTokens(answer.request, 0));
      const count = await engine.countTokens({ ...answer.request, partition: input.partition });
      reply.request.lals.stats = { inputTokens: count, cachedTokens: 0, outputTokens: 0 };
      return answer.render(count);
    }
    case "embed":
      return sendEmbeddings(reply, deps, answer);
    case "rank":
      return sendRank(reply, deps, answer);
    case "tokenize":
      return sendTokenize(reply, deps, answer);
    case "detokenize":
      return sendDetokenize(reply, deps, answer);
    case "generate":
      return sendGenerations(reply, deps, answer);
    default: {
      const never: never = answer;
      throw new Error(`unknown answer ${JSON.stringify(never)}`);
    }
  }
}
