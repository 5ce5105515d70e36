// The fields /api/chat and /api/generate share (format, options, think, logprobs, keep_alive, stream), as schema
// and as their canonical meaning.
import { z } from "zod";
import type { ChatRequest, ResponseFormat } from "../../core/chat-request.js";
import { jsonSchemaField } from "../bounded-fields.js";
import { thinkingForEffort } from "../openai/reasoning-effort.js";
import { MAX_TOP_LOGPROBS } from "../openai/sampling.js";
import type { ParseOptions } from "../validate.js";
import { KEEP_ALIVE_WARNING, keepAliveField, keepAliveSeconds } from "./keep-alive.js";
import { optionsField, parseModelOptions } from "./options.js";

export const THINK_LEVELS = ["low", "medium", "high", "max"] as const;

export const generationFields = {
  /** "json", a JSON schema, or "" (plain text, as Ollama reads an empty format). */
  format: z.union([z.literal("json"), z.literal(""), jsonSchemaField], { message: "must be \"json\" or a JSON schema object" }).nullish(),
  options: optionsField.nullish(),
  think: z.union([z.boolean(), z.enum(THINK_LEVELS)], { message: "must be true, false, \"low\", \"medium\", \"high\" or \"max\"" }).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(MAX_TOP_LOGPROBS).nullish(),
  keep_alive: keepAliveField,
  /** Absent means true: Ollama streams unless told not to. */
  stream: z.boolean().nullish(),
};

type GenerationBody = { [K in keyof typeof generationFields]?: z.infer<(typeof generationFields)[K]> };

export function responseFormatOf(format: GenerationBody["format"]): ResponseFormat {
  if (format == null || format === "") return { type: "text" };
  if (format === "json") return { type: "json" };
  return { type: "json_schema", name: "response", schema: format };
}

/** `think` as canonical thinking: a level turns it on, with the budget OpenAI's effort of that name has. */
export function thinkingOf(think: boolean | (typeof THINK_LEVELS)[number]): NonNullable<ChatRequest["thinking"]> {
  if (typeof think === "boolean") return { enabled: think };
  return thinkingForEffort(think === "max" ? "xhigh" : think);
}

/** Sets what the shared fields ask for on `request`. */
export function applyGenerationFields(body: GenerationBody, request: ChatRequest, policy: ParseOptions): void {
  const { sampling, warnings } = parseModelOptions(body.options, policy);
  request.sampling = sampling;
  request.warnings.push(...warnings);
  request.responseFormat = responseFormatOf(body.format);
  if (body.think != null) request.thinking = thinkingOf(body.think);
  if (body.logprobs === true) request.sampling.logprobs = { top: body.top_logprobs ?? 0 };
  // Validated even though it is not applied, so a malformed one is the 400 Ollama would give.
  if (keepAliveSeconds(body.keep_alive) !== undefined) request.warnings.push(KEEP_ALIVE_WARNING);
}

/** Whether the reply streams. */
export const streams = (body: GenerationBody): boolean => body.stream !== false;
