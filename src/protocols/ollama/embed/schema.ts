// The wire requests of POST /api/embed and the legacy POST /api/embeddings.
import { z } from "zod";
import { LIMIT_PARAMS, modelField } from "../../bounded-fields.js";
import { MAX_EMBEDDING_INPUTS } from "../../openai/embeddings/schema.js";
import { keepAliveField } from "../keep-alive.js";

/** One text or a list of them; an empty one (or none) only loads the model, as Ollama does. Counted after the union, whose own error would not say which bound. */
const inputField = z.union([z.string(), z.array(z.string())], { message: "must be a string or a list of strings" }).superRefine((input, ctx) => {
  if (typeof input === "string") return;
  if (input.length > MAX_EMBEDDING_INPUTS) ctx.addIssue({ code: "custom", message: `at most ${MAX_EMBEDDING_INPUTS} inputs per request on this server`, params: LIMIT_PARAMS });
  const empty = input.findIndex((text) => text === "");
  if (empty !== -1) ctx.addIssue({ code: "custom", message: "an input must not be empty", path: [empty] });
});

export const embedRequest = z.looseObject({
  model: modelField,
  input: inputField.nullish(),
  /** Ollama's default is true: an input longer than the model reads is cut to fit; false refuses it. */
  truncate: z.boolean().nullish(),
  dimensions: z.number().int().min(1).nullish(),
  options: z.looseObject({}).nullish(),
  keep_alive: keepAliveField,
});

export const embeddingsRequest = z.looseObject({
  model: modelField,
  prompt: z.string().nullish(),
  options: z.looseObject({}).nullish(),
  keep_alive: keepAliveField,
});

export type EmbedBody = z.infer<typeof embedRequest>;
export type EmbeddingsBody = z.infer<typeof embeddingsRequest>;
