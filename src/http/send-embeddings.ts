// Serves an `embed` answer: the model that embeds, read in one pass (send-one-pass.ts).
import type { FastifyReply } from "fastify";
import type { Answer } from "../protocols/endpoint.js";
import type { RouteDeps } from "./route-deps.js";
import { sendOnePass } from "./send-one-pass.js";
import { estimateEmbedTokens } from "./token-estimate.js";

type EmbedAnswer = Extract<Answer, { type: "embed" }>;

export async function sendEmbeddings(reply: FastifyReply, deps: RouteDeps, answer: EmbedAnswer): Promise<unknown> {
  const { engine, servedId } = deps.router.routeEmbedding(answer.request.model);
  reply.request.lals.noteServedBy(answer.request.model, servedId);
  const partition = reply.request.lals.partition;
  const result = await sendOnePass(reply, deps, estimateEmbedTokens(answer.request), (signal) => engine.embed({ ...answer.request, partition }, signal));
  return answer.render(result);
}
