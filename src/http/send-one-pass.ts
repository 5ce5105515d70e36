// What embeddings and reranking share: work read in one pass by one model, charged to the token budget and the
// tenant's share like a generation, with a signal that stops it between inputs when the client leaves or the server
// shuts down.
import type { FastifyReply } from "fastify";
import { clientOf } from "./rate-limits.js";
import { requestCancellation } from "./request-cancellation.js";
import type { RouteDeps } from "./route-deps.js";

/** Runs `work` for the request `reply` answers, estimated to read `estimatedTokens`; its result's tokens become the request's stats. */
export async function sendOnePass<R extends { promptTokens: number }>(reply: FastifyReply, { shutdown, shares }: RouteDeps, estimatedTokens: number,
  work: (signal: AbortSignal) => Promise<R>): Promise<R> {
  const http = reply.request;
  const cancel = requestCancellation(reply, shutdown);
  await http.lals.reserveTokens?.(estimatedTokens);
  const release = await shares.acquire(clientOf(http), 1, cancel.signal);
  try {
    const result = await work(cancel.signal);
    http.lals.stats = { inputTokens: result.promptTokens, cachedTokens: 0, outputTokens: 0 };
    return result;
  } finally {
    release();
  }
}
