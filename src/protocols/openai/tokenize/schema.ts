// The wire request of POST /tokenize: llama-server's text form, or vLLM's chat form (a chat completion's messages).
import { z } from "zod";
import { modelField } from "../../bounded-fields.js";
import { chatCompletionRequest } from "../chat-completions/schema.js";

/** Text tokenized at once on the event loop stays under a second (longer text would stall every stream). */
export const MAX_TOKENIZE_CHARS = 1 << 20;

/** Which form a body is: `messages` makes it the chat form; each form is validated by its own schema below. */
export const tokenizeRequest = z.looseObject({
  model: modelField.nullish(),
  messages: z.unknown().optional(),
});

export const textTokenizeRequest = z.looseObject({
  model: modelField.nullish(),
  content: z.string({ message: "must be a string (or send messages, the chat form)" })
    .max(MAX_TOKENIZE_CHARS, { message: `at most ${MAX_TOKENIZE_CHARS} characters per request on this server` }),
  add_special: z.boolean().nullish(),
  parse_special: z.boolean().nullish(),
  with_pieces: z.boolean().nullish(),
});

export const chatTokenizeRequest = chatCompletionRequest.extend({
  model: modelField.nullish(),
  // A chat is tokenized as a chat completion reads it, which always ends where the model's answer begins.
  add_generation_prompt: z.literal(true, { message: "only true: the chat is tokenized as a chat completion reads it, ending where the answer begins" }).nullish(),
});

export type TokenizeRequestBody = z.infer<typeof tokenizeRequest>;
