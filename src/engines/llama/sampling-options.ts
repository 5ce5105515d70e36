// A request's sampling as the options node-llama-cpp's LlamaChat and LlamaCompletion share.
import { randomInt } from "node:crypto";
import type { TokenBias } from "node-llama-cpp";
import type { ChatRequest } from "../../core/chat-request.js";

export interface SamplingDefaults {
  temperature: number;
  topP: number;
}

export interface SamplingContext {
  /** What the reply may take (Prompts.maxTokens). */
  maxTokens: number;
  tokenBias: TokenBias | undefined;
  /** What a request that sets none gets. */
  defaults: SamplingDefaults;
  /** Stops the evaluation when it aborts. */
  signal: AbortSignal;
}

/**
 * Off unless asked for: node-llama-cpp's default (penalty 1) changes nothing but still gathers the last 64 tokens for
 * the sampler on every token.
 */
function repeatPenaltyOf(sampling: ChatRequest["sampling"]) {
  const { presencePenalty, frequencyPenalty, repeatPenalty } = sampling;
  if (presencePenalty === undefined && frequencyPenalty === undefined && repeatPenalty === undefined) return false as const;
  const lastTokens = repeatPenalty?.lastTokens;
  return {
    penalty: repeatPenalty?.penalty ?? 1,
    presencePenalty: presencePenalty ?? 0,
    frequencyPenalty: frequencyPenalty ?? 0,
    // node-llama-cpp takes the reply's last `lastTokens` (a slice from the end): the whole reply is MAX_SAFE_INTEGER.
    ...(lastTokens === undefined ? {} : { lastTokens: Number.isFinite(lastTokens) ? lastTokens : Number.MAX_SAFE_INTEGER }),
  };
}

/** The options of one evaluation: the request's sampling, the defaults for what it leaves unset. */
export function samplingOptions(request: ChatRequest, { maxTokens, tokenBias, defaults, signal }: SamplingContext) {
  const { sampling } = request;
  return {
    maxTokens,
    temperature: sampling.temperature ?? defaults.temperature,
    topP: sampling.topP ?? defaults.topP,
    ...(sampling.topK === undefined ? {} : { topK: sampling.topK }),
    ...(sampling.minP === undefined ? {} : { minP: sampling.minP }),
    // node-llama-cpp's default seed is the current second: identical requests in one second would sample alike.
    seed: sampling.seed ?? randomInt(2 ** 31),
    ...(sampling.stop.length === 0 ? {} : { customStopTriggers: sampling.stop }),
    repeatPenalty: repeatPenaltyOf(sampling),
    ...(tokenBias === undefined ? {} : { tokenBias }),
    signal,
  };
}
