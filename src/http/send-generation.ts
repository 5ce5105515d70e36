// Answers a generate answer: as an SSE stream of the protocol's frames, or as the protocol's JSON of the collected
// results. Several generations for one request (OpenAI's `n`, a list of prompts) run side by side in parallel slots.
import { Readable } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";
import { cancelWith } from "../core/cancel-cause.js";
import type { ChatRequest } from "../core/chat-request.js";
import { collect } from "../core/collect.js";
import { GatewayError } from "../core/gateway-error.js";
import { admitOnStart, type GenerationStream } from "../core/generation-stream.js";
import { mergeStreams } from "../core/merge-streams.js";
import { cacheKey, isDeterministic, throughCache, type ReplyCache } from "../core/response-cache.js";
import { SSE_HEADERS } from "../core/sse.js";
import type { Engine, GenerateOptions } from "../engines/engine.js";
import type { GenerateAnswer } from "../protocols/endpoint.js";
import { noteIgnoredFields } from "./ignored-fields.js";
import { clientOf } from "./rate-limits.js";
import { requestCancellation } from "./request-cancellation.js";
import { tapEvents } from "./request-stats.js";
import type { RouteDeps } from "./route-deps.js";
import { estimateTokens } from "./token-estimate.js";
import { watchWriteStall } from "./write-stall.js";

export const CACHE_HEADER = "x-lals-cache";

/** The request's generation: replayed from the cache when it holds it, generated (and kept, if cacheable) otherwise. */
async function generationFor(http: FastifyRequest, reply: FastifyReply, engine: Engine, request: ChatRequest, signal: AbortSignal, cache: ReplyCache | undefined, options: GenerateOptions): Promise<GenerationStream> {
  if (cache === undefined || !isDeterministic(request)) {
    const generation = engine.generate(request, signal, options);
    return { admitted: generation.admitted, close: () => generation.close(), [Symbol.asyncIterator]: () => tapEvents(reply, generation)[Symbol.asyncIterator]() };
  }
  const key = cacheKey(request, engine.models()[0]?.id ?? "");
  const cached = await cache.lookup(key);
  const outcome = cached === undefined ? "miss" : "hit";
  // Several choices report a hit only if every one was.
  if (http.lals.stats?.cache !== "miss") void reply.header(CACHE_HEADER, outcome);
  return admitOnStart(tapEvents(reply, throughCache(cache, key, cached, () => engine.generate(request, signal, options)), outcome));
}

export async function sendGenerations(reply: FastifyReply, deps: RouteDeps, answer: GenerateAnswer): Promise<unknown> {
  try {
    return await send(reply, deps, answer);
  } catch (error) {
    if (answer.recover === undefined) throw error;
    return answer.recover(error);
  } finally {
    if (!reply.sent) answer.done?.();
  }
}

async function send(reply: FastifyReply, { router, config, shutdown, cache, shares }: RouteDeps, answer: GenerateAnswer): Promise<unknown> {
  const http = reply.request;
  const requested = answer.requests[0]!.model;
  const { engine, servedId } = router.route(requested);
  http.lals.noteServedBy(requested, servedId);
  // The one place every generated request passes: from here on it carries its tenant, for the caches to keep apart.
  const requests = answer.requests.map((request) => ({ ...request, partition: http.lals.partition }));
  if (answer.stream && !config.ENABLE_STREAMING) {
    throw new GatewayError("invalid_request", "Streaming is disabled on this server (ENABLE_STREAMING=false).", { param: "stream" });
  }
  noteIgnoredFields(http, [...new Set(requests.flatMap((request) => request.warnings))]);
  const cancel = requestCancellation(reply, shutdown, answer.cancel);
  reply.raw.once("close", () => answer.done?.());

  // Several generations are admitted together, all their slots at once. Replies replayed from the cache take no
  // slot, so requests that may be replayed are admitted one by one.
  const replayable = cache !== undefined && requests.some(isDeterministic);
  const options: GenerateOptions = { group: requests.length > 1 && !replayable ? { size: requests.length } : undefined };
  await http.lals.reserveTokens?.(requests.reduce((sum, request) => sum + estimateTokens(request, config.MAX_TOKENS_LIMIT), 0));
  const release = await shares.acquire(clientOf(http), requests.length, cancel.signal);
  reply.raw.once("close", release);
  const generations = await Promise.all(requests.map((request) => generationFor(http, reply, engine, request, cancel.signal, cache, options)));
  const failSiblings = (): void => cancelWith(cancel, { type: "sibling_failed" });

  if (!answer.stream) {
    try {
      return answer.render(await Promise.all(generations.map((generation) => collect(generation))));
    } catch (error) {
      failSiblings();
      throw error;
    }
  }
  const admitted = await Promise.allSettled(generations.map((generation) => generation.admitted));
  const refusal = admitted.find((a) => a.status === "rejected");
  if (refusal !== undefined) {
    failSiblings();
    await Promise.all(generations.map((generation) => generation.close()));
    throw refusal.reason;
  }
  watchWriteStall(reply, config.WRITE_STALL_TIMEOUT * 1000, () => {
    reply.log.warn({ seconds: config.WRITE_STALL_TIMEOUT }, "client stopped reading; generation cancelled");
    cancelWith(cancel, { type: "client_stalled", message: "The client stopped reading." });
    reply.raw.destroy();
  });
  const headers = answer.streamContentType === undefined ? SSE_HEADERS : { ...SSE_HEADERS, "content-type": answer.streamContentType };
  return reply.headers(headers).send(Readable.from(answer.renderStream(mergeStreams(generations))));
}
