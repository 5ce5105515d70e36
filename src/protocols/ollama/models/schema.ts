// The wire request of POST /api/show: `model`, or the older `name`.
import { z } from "zod";
import { modelField } from "../../bounded-fields.js";

export const showRequest = z.looseObject({
  model: modelField.nullish(),
  name: modelField.nullish(),
  /** Ollama then fills in the long arrays (the vocabulary), which this server never reads from the file. */
  verbose: z.boolean().nullish(),
});

export type ShowBody = z.infer<typeof showRequest>;
