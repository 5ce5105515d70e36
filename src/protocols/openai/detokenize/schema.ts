// The wire request of POST /detokenize: llama-server's `{tokens}`, and the model to read them with.
import { z } from "zod";
import { modelField } from "../../bounded-fields.js";

/** Token ids per request, as for embeddings' token inputs. */
export const MAX_DETOKENIZE_TOKENS = 1 << 19;

export const detokenizeRequest = z.looseObject({
  model: modelField.nullish(),
  tokens: z.array(z.number().int().min(0)).max(MAX_DETOKENIZE_TOKENS, { message: `at most ${MAX_DETOKENIZE_TOKENS} tokens per request on this server` }),
});

export type DetokenizeRequestBody = z.infer<typeof detokenizeRequest>;
