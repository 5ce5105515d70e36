// Answers a generating request: as an SSE stream of the protocol's frames, or as the protocol's JSON of the collected result.
import { Readable } from "node:stream";
import type { FastifyReply } from "fastify";
import type { Config } from "../config.js";
import type { ChatEvent } from "../core/chat-event.js";
import type { ChatRequest } from "../core/chat-request.js";
import { collect, type ChatResult } from "../core/collect.js";
import { GatewayError } from "../core/gateway-error.js";
import { SSE_HEADERS } from "../core/sse.js";
import type { Engine } from "../engines/engine.js";
import { clientSignal } from "./client-signal.js";
import { openEventStream } from "./open-event-stream.js";

export interface Generation<T> {
  engine: Engine;
  request: ChatRequest;
  stream: boolean;
  renderStream(events: AsyncIterable<ChatEvent>): AsyncIterable<string>;
  render(result: ChatResult): T;
}

export async function sendGeneration<T>(reply: FastifyReply, config: Config, generation: Generation<T>): Promise<T | FastifyReply> {
  const { engine, request } = generation;
  if (request.warnings.length > 0) reply.log.info({ warnings: request.warnings }, "parameters accepted but not applied");
  const signal = clientSignal(reply);
  if (generation.stream) {
    if (!config.ENABLE_STREAMING) throw new GatewayError("invalid_request", "Streaming is disabled on this server (ENABLE_STREAMING=false).", { param: "stream" });
    const events = await openEventStream(engine.generate(request, signal));
    return reply.headers(SSE_HEADERS).send(Readable.from(generation.renderStream(events)));
  }
  return generation.render(await collect(engine.generate(request, signal)));
}
