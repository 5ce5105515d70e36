// The wire request of the legacy POST /v1/complete.
import { z } from "zod";

export const completeRequest = z.looseObject({
  model: z.string().min(1),
  prompt: z.string(),
  max_tokens_to_sample: z.number().int().min(1),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  stream: z.boolean().optional(),
});

export type CompleteBody = z.infer<typeof completeRequest>;
