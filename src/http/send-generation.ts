// Answers a generating request: as an SSE stream of the protocol's frames, or as the protocol's JSON of the collected
// result. Several generations for one request (OpenAI's `n`, a list of prompts) run side by side in parallel slots.
import { Readable } from "node:stream";
import type { FastifyReply } from "fastify";
import type { ChatEvent } from "../core/chat-event.js";
import type { ChatRequest } from "../core/chat-request.js";
import { collect, type ChatResult } from "../core/collect.js";
import { GatewayError } from "../core/gateway-error.js";
import { mergeStreams, type Indexed } from "../core/merge-streams.js";
import { cacheKey, isDeterministic, type ResponseCache } from "../core/response-cache.js";
import { SSE_HEADERS } from "../core/sse.js";
import type { Engine, GenerateOptions } from "../engines/engine.js";
import { partitionOf } from "./api-keys.js";
import { clientSignal } from "./client-signal.js";
import { openEventStream, type OpenedEventStream } from "./open-event-stream.js";
import type { RouteDeps } from "./route-deps.js";
import { tapEvents } from "./request-stats.js";
import { watchWriteStall } from "./write-stall.js";
import { noteIgnoredFields } from "./ignored-fields.js";

export interface Generation<T> {
  engine: Engine;
  request: ChatRequest;
  stream: boolean;
  renderStream(events: AsyncIterable<ChatEvent>): AsyncIterable<string>;
  render(result: ChatResult): T;
}

export interface Generations<T> {
  engine: Engine;
  requests: ChatRequest[];
  stream: boolean;
  renderStream(events: AsyncIterable<Indexed<ChatEvent>>): AsyncIterable<string>;
  render(results: ChatResult[]): T;
}

type SendDeps = Pick<RouteDeps, "config" | "shutdown" | "cache">;

export function sendGeneration<T>(reply: FastifyReply, deps: SendDeps, generation: Generation<T>): Promise<T | FastifyReply> {
  return sendGenerations(reply, deps, {
    engine: generation.engine,
    requests: [generation.request],
    stream: generation.stream,
    renderStream: (events) => generation.renderStream(values(events)),
    render: ([result]) => generation.render(result!),
  });
}

async function* values<T>(items: AsyncIterable<Indexed<T>>): AsyncGenerator<T> {
  for await (const item of items) yield item.value;
}

/** The request's events: replayed from the cache when it holds them, generated (and kept, if cacheable) otherwise. */
function eventsFor(reply: FastifyReply, engine: Engine, request: ChatRequest, signal: AbortSignal, cache: ResponseCache | undefined, options: GenerateOptions): AsyncIterable<ChatEvent> {
  const generate = (): AsyncIterable<ChatEvent> => engine.generate(request, signal, options);
  if (cache === undefined || !isDeterministic(request)) return tapEvents(reply, generate());
  const key = cacheKey(request, engine.models()[0]?.id ?? "");
  const outcome = cache.get(key) === undefined ? "miss" : "hit";
  // Several choices report a hit only if every one was.
  if (reply.getHeader(CACHE_HEADER) !== "miss") void reply.header(CACHE_HEADER, outcome);
  return tapEvents(reply, cache.through(key, generate), outcome);
}

export const CACHE_HEADER = "x-lals-cache";

export async function sendGenerations<T>(reply: FastifyReply, { config, shutdown, cache }: SendDeps, generations: Generations<T>): Promise<T | FastifyReply> {
  const { engine } = generations;
  // The one place every generated request passes: from here on it carries its tenant, for the caches to keep apart.
  const partition = partitionOf(reply.request);
  const requests = generations.requests.map((request) => ({ ...request, partition }));
  if (generations.stream && !config.ENABLE_STREAMING) {
    throw new GatewayError("invalid_request", "Streaming is disabled on this server (ENABLE_STREAMING=false).", { param: "stream" });
  }
  noteIgnoredFields(reply.request, [...new Set(requests.flatMap((request) => request.warnings))]);
  // One failure ends its siblings too, as do the client leaving and the shutdown deadline (whose reason the engine
  // reports to the client as an error event).
  const abort = new AbortController();
  const clientGone = clientSignal(reply);
  clientGone.addEventListener("abort", () => abort.abort(clientGone.reason), { once: true });
  const onShutdown = (): void => abort.abort(shutdown.reason);
  if (shutdown.aborted) onShutdown();
  else {
    shutdown.addEventListener("abort", onShutdown, { once: true });
    reply.raw.once("close", () => shutdown.removeEventListener("abort", onShutdown));
  }

  // Several generations are admitted together, all their slots at once. Replies replayed from the cache take no
  // slot, so requests that may be replayed are admitted one by one.
  const replayable = cache !== undefined && requests.some(isDeterministic);
  const options: GenerateOptions = requests.length > 1 && !replayable ? { group: { size: requests.length } } : {};
  const events = (request: ChatRequest): AsyncIterable<ChatEvent> => eventsFor(reply, engine, request, abort.signal, cache, options);

  if (!generations.stream) {
    try {
      return generations.render(await Promise.all(requests.map((request) => collect(events(request)))));
    } catch (error) {
      abort.abort(error);
      throw error;
    }
  }
  const opened = await Promise.allSettled(requests.map((request) => openEventStream(events(request))));
  const failure = opened.find((o) => o.status === "rejected");
  if (failure !== undefined) {
    await Promise.all(opened.map((o) => (o.status === "fulfilled" ? o.value.close() : undefined)));
    throw failure.reason;
  }
  const streams = opened.map((o) => (o as PromiseFulfilledResult<OpenedEventStream>).value);
  watchWriteStall(reply, config.WRITE_STALL_TIMEOUT * 1000, () => {
    reply.log.warn({ seconds: config.WRITE_STALL_TIMEOUT }, "client stopped reading; generation cancelled");
    abort.abort(new GatewayError("unavailable", "The client stopped reading.", { reason: "client_stalled" }));
    reply.raw.destroy();
  });
  return reply.headers(SSE_HEADERS).send(Readable.from(generations.renderStream(mergeStreams(streams))));
}
