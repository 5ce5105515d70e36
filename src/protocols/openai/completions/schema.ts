// The wire request of the legacy POST /v1/completions.
import { z } from "zod";
import { modelField } from "../../bounded-fields.js";
import { MAX_CHOICES } from "../chat-completions/schema.js";
import { logitBiasField, MAX_TOP_LOGPROBS, refused, stopField } from "../sampling.js";


export const completionRequest = z.looseObject({
  model: modelField,
  prompt: z.union([
    z.string(),
    z.array(z.string()).min(1, { message: "must hold at least one prompt" }).max(MAX_CHOICES, { message: `at most ${MAX_CHOICES} prompts per request on this server` }),
    z.array(z.unknown()).refine(() => false, { message: "prompts as token ids are not supported by this server; send text" }),
  ]),
  max_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_k: z.number().int().min(0).nullish(),
  n: z.number().int().min(1).max(MAX_CHOICES, { message: `at most ${MAX_CHOICES} choices per request on this server` }).nullish(),
  best_of: z.number().int().min(1).max(1, { message: "only 1 is supported: ranking candidates needs log probabilities" }).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  stop: stopField,
  seed: z.number().int().nullish(),
  echo: z.boolean().nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: logitBiasField,
  logprobs: z.number().int().min(0).max(MAX_TOP_LOGPROBS).nullish(),
  suffix: refused("insertion (suffix) is not supported by this server", ""),
  user: z.string().optional(),
});

export type CompletionRequestBody = z.infer<typeof completionRequest>;
