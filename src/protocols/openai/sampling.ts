// The sampling parameters chat completions and legacy completions share: their wire schema, their canonical form,
// and the per-choice requests of `n`.
import { z } from "zod";
import type { ChatRequest, Sampling } from "../../core/chat-request.js";
import { LIMIT_PARAMS, stopStringOrList } from "../bounded-fields.js";
import { LIMITS } from "../limits.js";

export const stopField = stopStringOrList(LIMITS.stopSequences.openai).nullish();
export const logitBiasField = z.record(z.string().regex(/^\d+$/, { message: "keys must be token ids" }), z.number().min(-100).max(100))
  .refine((bias) => Object.keys(bias).length <= LIMITS.logitBias, { message: `at most ${LIMITS.logitBias} entries on this server`, params: LIMIT_PARAMS })
  .nullish();

/** The most alternatives per token a request may ask log-probabilities for, as OpenAI allows. */
export const MAX_TOP_LOGPROBS = 20;

/** A parameter this server cannot honour: absent, null or one of `off` passes; anything else is a 400 with `message`. */
export const refused = (message: string, ...off: unknown[]) => z.unknown().refine((v) => v == null || off.includes(v), { message }).optional();

export interface SamplingBody {
  stop?: string | string[] | null | undefined;
  temperature?: number | null | undefined;
  top_p?: number | null | undefined;
  top_k?: number | null | undefined;
  seed?: number | null | undefined;
  presence_penalty?: number | null | undefined;
  frequency_penalty?: number | null | undefined;
  logit_bias?: Record<string, number> | null | undefined;
}

/** The canonical sampling of a request; empty stop strings and an empty logit_bias are as good as absent. */
export function parseSampling(body: SamplingBody, maxTokens: number | undefined): Sampling {
  const stop = body.stop == null ? [] : typeof body.stop === "string" ? [body.stop] : body.stop;
  const logitBias = body.logit_bias == null ? {} : Object.fromEntries(Object.entries(body.logit_bias).map(([id, bias]) => [Number(id), bias]));
  return {
    stop: stop.filter((s) => s !== ""),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(body.temperature == null ? {} : { temperature: body.temperature }),
    ...(body.top_p == null ? {} : { topP: body.top_p }),
    ...(body.top_k == null ? {} : { topK: body.top_k }),
    ...(body.seed == null ? {} : { seed: body.seed }),
    ...(body.presence_penalty == null ? {} : { presencePenalty: body.presence_penalty }),
    ...(body.frequency_penalty == null ? {} : { frequencyPenalty: body.frequency_penalty }),
    ...(Object.keys(logitBias).length === 0 ? {} : { logitBias }),
  };
}

/** One request per choice; with a seed, choice i samples with seed + i so the choices differ yet stay reproducible. */
export function choiceRequests(request: ChatRequest, n: number): ChatRequest[] {
  return Array.from({ length: n }, (_, i) => (i === 0 || request.sampling.seed === undefined
    ? request
    : { ...request, sampling: { ...request.sampling, seed: request.sampling.seed + i } }));
}
