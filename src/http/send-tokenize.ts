// Serves `tokenize` and `detokenize` answers: the model that tokenizes (the default one when the body names none),
// the work charged to the token budget like a prompt's.
import type { FastifyReply } from "fastify";
import type { Answer } from "../protocols/endpoint.js";
import type { RouteDeps } from "./route-deps.js";
import { estimateTokenizeTokens } from "./token-estimate.js";

type TokenizeAnswer = Extract<Answer, { type: "tokenize" }>;
type DetokenizeAnswer = Extract<Answer, { type: "detokenize" }>;

export async function sendTokenize(reply: FastifyReply, { router }: RouteDeps, answer: TokenizeAnswer): Promise<unknown> {
  const http = reply.request;
  const { request } = answer;
  const { engine, servedId } = router.routeTokenizer(request.model);
  http.lals.noteServedBy(request.model, servedId);
  await http.lals.reserveTokens?.(estimateTokenizeTokens(request));
  const partition = http.lals.partition;
  const routed = request.kind === "chat" ? { ...request, chat: { ...request.chat, model: servedId, partition } } : request;
  const result = await engine.tokenize({ ...routed, model: servedId, partition });
  http.lals.stats = { inputTokens: result.tokens.length, cachedTokens: 0, outputTokens: 0 };
  return answer.render(result);
}

export async function sendDetokenize(reply: FastifyReply, { router }: RouteDeps, answer: DetokenizeAnswer): Promise<unknown> {
  const http = reply.request;
  const { engine, servedId } = router.routeTokenizer(answer.request.model);
  http.lals.noteServedBy(answer.request.model, servedId);
  await http.lals.reserveTokens?.(answer.request.tokens.length);
  const content = await engine.detokenize({ ...answer.request, model: servedId, partition: http.lals.partition });
  http.lals.stats = { inputTokens: answer.request.tokens.length, cachedTokens: 0, outputTokens: 0 };
  return answer.render(content);
}
