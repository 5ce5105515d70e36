// Serves a `rank` answer: the model that reranks, read in one pass (send-one-pass.ts).
import type { FastifyReply } from "fastify";
import type { Answer } from "../protocols/endpoint.js";
import type { RouteDeps } from "./route-deps.js";
import { sendOnePass } from "./send-one-pass.js";
import { estimateRankTokens } from "./token-estimate.js";

type RankAnswer = Extract<Answer, { type: "rank" }>;

export async function sendRank(reply: FastifyReply, deps: RouteDeps, answer: RankAnswer): Promise<unknown> {
  const { engine, servedId } = deps.router.routeRanking(answer.request.model);
  reply.request.lals.noteServedBy(answer.request.model, servedId);
  const partition = reply.request.lals.partition;
  const result = await sendOnePass(reply, deps, estimateRankTokens(answer.request), (signal) => engine.rank({ ...answer.request, partition }, signal));
  return answer.render(result);
}
