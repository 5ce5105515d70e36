// Serves an `embed` answer: the model that embeds, the token budget and the tenant's share like a generation's, and
// a signal that stops the work between inputs when the client leaves or the server shuts down.
import type { FastifyReply } from "fastify";
import { cancelWith } from "../core/cancel-cause.js";
import type { Answer } from "../protocols/endpoint.js";
import { clientOf } from "./rate-limits.js";
import type { RouteDeps } from "./route-deps.js";
import { estimateEmbedTokens } from "./token-estimate.js";

type EmbedAnswer = Extract<Answer, { type: "embed" }>;

export async function sendEmbeddings(reply: FastifyReply, { router, shutdown, shares }: RouteDeps, answer: EmbedAnswer): Promise<unknown> {
  const http = reply.request;
  const { engine, servedId } = router.routeEmbedding(answer.request.model);
  if (servedId !== answer.request.model) http.lals.servedBy = servedId;
  const cancel = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) cancelWith(cancel, { type: "client_gone" });
  });
  const onShutdown = (): void => cancelWith(cancel, { type: "shutdown" });
  shutdown.addEventListener("abort", onShutdown, { once: true });
  try {
    http.lals.reserveTokens?.(estimateEmbedTokens(answer.request));
    const release = await shares.acquire(clientOf(http), 1, cancel.signal);
    try {
      const result = await engine.embed({ ...answer.request, partition: http.lals.partition }, cancel.signal);
      http.lals.stats = { inputTokens: result.promptTokens, cachedTokens: 0, outputTokens: 0 };
      return answer.render(result);
    } finally {
      release();
    }
  } finally {
    shutdown.removeEventListener("abort", onShutdown);
  }
}
