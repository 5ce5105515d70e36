// The wire request of POST /api/generate: a prompt (raw, or in the chat template with an optional system), bounded
// like the other protocols', unknown fields accepted.
import { z } from "zod";
import { boundedList, modelField } from "../../bounded-fields.js";
import { LIMITS } from "../../limits.js";
import { generationFields } from "../generation-fields.js";

export const generateRequest = z.looseObject({
  model: modelField,
  /** Empty or absent (with no images): load (or, with keep_alive 0, unload) the model and generate nothing. */
  prompt: z.string().nullish(),
  suffix: z.string().nullish(),
  system: z.string().nullish(),
  template: z.string().nullish(),
  /** Deprecated by Ollama: the token ids an earlier reply returned. */
  context: z.array(z.number()).nullish(),
  raw: z.boolean().nullish(),
  images: boundedList(z.string(), LIMITS.contentParts, "images").nullish(),
  ...generationFields,
});

export type GenerateBody = z.infer<typeof generateRequest>;
