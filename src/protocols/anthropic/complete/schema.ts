// The wire request of the legacy POST /v1/complete.
import { z } from "zod";
import { samplingFields } from "../messages/schema.js";

export const completeRequest = z.looseObject({
  model: z.string().min(1),
  prompt: z.string(),
  max_tokens_to_sample: z.number().int().min(1),
  stop_sequences: z.array(z.string()).optional(),
  ...samplingFields,
});

export type CompleteBody = z.infer<typeof completeRequest>;
