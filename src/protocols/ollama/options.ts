// Ollama's `options` (its Modelfile parameters) → canonical sampling. Options with no canonical field (runner
// settings, samplers the engine does not expose) are accepted, not applied, and reported by name.
import { z } from "zod";
import type { Sampling } from "../../core/chat-request.js";
import { quoted } from "../../core/quoted.js";
import { stopSequences } from "../bounded-fields.js";
import { LIMITS } from "../limits.js";
import { parseSampling } from "../openai/sampling.js";
import { checkMaxTokens, type ParseOptions } from "../validate.js";

export const optionsField = z.looseObject({
  /** -1: no limit, -2: until the context is full; Ollama's runner treats 0 as no limit too. */
  num_predict: z.number().int().min(-2).nullish(),
  temperature: z.number().min(0).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_k: z.number().int().min(0).nullish(),
  seed: z.number().int().nullish(),
  stop: stopSequences(LIMITS.stopSequences.anthropic).nullish(),
  presence_penalty: z.number().nullish(),
  frequency_penalty: z.number().nullish(),
  min_p: z.number().min(0).max(1).nullish(),
  repeat_penalty: z.number().min(0).nullish(),
  /** 0: no repeat penalty; -1: the whole reply (Ollama: the whole context; a prompt is not penalised here). */
  repeat_last_n: z.number().int().min(-1).nullish(),
});

export type OptionsBody = z.infer<typeof optionsField>;

const APPLIED = new Set(Object.keys(optionsField.shape));

/** The rest of Ollama's options (ollama-js's Options, and those its server has dropped that clients still send). */
const NOT_APPLIED: Readonly<Record<string, string>> = {
  num_ctx: "the context length is this server's (see context_length in /api/ps)",
  num_keep: "context shift is the engine's own",
  typical_p: "this sampler is not exposed by the engine",
  tfs_z: "this sampler is not exposed by the engine",
  penalize_newline: "newlines are never penalised here",
  mirostat: "this sampler is not exposed by the engine",
  mirostat_tau: "this sampler is not exposed by the engine",
  mirostat_eta: "this sampler is not exposed by the engine",
  numa: "runner settings are this server's",
  num_batch: "runner settings are this server's",
  num_gpu: "runner settings are this server's",
  main_gpu: "runner settings are this server's",
  low_vram: "runner settings are this server's",
  f16_kv: "runner settings are this server's",
  logits_all: "runner settings are this server's",
  vocab_only: "runner settings are this server's",
  use_mmap: "runner settings are this server's",
  use_mlock: "runner settings are this server's",
  embedding_only: "runner settings are this server's",
  num_thread: "runner settings are this server's",
  draft_num_predict: "runner settings are this server's",
};

/** The samplers Ollama shares with llama.cpp and OpenAI has not; a penalty over no tokens (repeat_last_n 0) is none. */
function llamaSampling(o: OptionsBody): Pick<Sampling, "minP" | "repeatPenalty"> {
  const lastTokens = o.repeat_last_n == null ? undefined : o.repeat_last_n === -1 ? Infinity : o.repeat_last_n;
  const penalize = o.repeat_penalty != null && o.repeat_penalty !== 1 && lastTokens !== 0;
  return {
    ...(o.min_p == null ? {} : { minP: o.min_p }),
    ...(penalize ? { repeatPenalty: { penalty: o.repeat_penalty!, ...(lastTokens === undefined ? {} : { lastTokens }) } } : {}),
  };
}

/** The sampling `options` ask for, and a warning for each option given that is not applied. */
export function parseModelOptions(options: OptionsBody | null | undefined, policy: ParseOptions): { sampling: Sampling; warnings: string[] } {
  const o = options ?? {};
  const limit = o.num_predict != null && o.num_predict > 0 ? o.num_predict : undefined;
  const maxTokens = checkMaxTokens(limit, policy, "options.num_predict");
  // The options Ollama shares with OpenAI's sampling carry OpenAI's names; Ollama has no logit_bias, so an option of
  // that name is an unknown key, never read.
  const sampling = { ...parseSampling({ ...o, logit_bias: undefined }, maxTokens), ...llamaSampling(o) };
  const given = Object.entries(o).filter(([key, value]) => value != null && !APPLIED.has(key)).map(([key]) => key);
  const warnings = given.filter((key) => NOT_APPLIED[key] !== undefined).map((key) => `options.${key} is accepted and not applied: ${NOT_APPLIED[key]}.`);
  // Keys no Ollama version defines are named in one warning, so that a client cannot mint one metrics label per key.
  const unknown = given.filter((key) => NOT_APPLIED[key] === undefined);
  if (unknown.length > 0) warnings.push(`options holds keys Ollama does not define, ignored: ${quoted(unknown.join(", "))}.`);
  return { sampling, warnings };
}
