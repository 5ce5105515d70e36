// The wire request of the legacy POST /v1/complete.
import { z } from "zod";
import { modelField, stopSequences } from "../../bounded-fields.js";
import { LIMITS } from "../../limits.js";
import { samplingFields } from "../messages/schema.js";

export const completeRequest = z.looseObject({
  model: modelField,
  prompt: z.string(),
  max_tokens_to_sample: z.number().int().min(1),
  stop_sequences: stopSequences(LIMITS.stopSequences.anthropic).optional(),
  ...samplingFields,
});

export type CompleteBody = z.infer<typeof completeRequest>;
