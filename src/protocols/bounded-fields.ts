// Zod fields carrying the bounds of limits.ts, for every protocol's schema. Their issues say the limit; validate()
// reports them with the reason `input_limit`.
import { z } from "zod";
import { LIMITS } from "./limits.js";
import { schemaExcess } from "./schema-bounds.js";

/** The `params` of a custom issue that reports a bound passed (size bounds are zod's own `too_big` issues). */
export const LIMIT_PARAMS = { limit: true } as const;

export const modelField = z.string().min(1).max(LIMITS.modelName, { message: `at most ${LIMITS.modelName} characters on this server` });

export const stopSequence = z.string().max(LIMITS.stopChars, { message: `at most ${LIMITS.stopChars} characters per stop sequence on this server` });

/** A list of stop sequences, at most `max` of them. */
export const stopSequences = (max: number) => z.array(stopSequence).max(max, { message: `at most ${max} stop sequences on this server` });

/** OpenAI's `stop`: one sequence or a list of at most `max`. Checked after the union, whose own error would not say which bound. */
export const stopStringOrList = (max: number) => z.union([z.string(), z.array(z.string())]).superRefine((stop, ctx) => {
  const list = typeof stop === "string" ? [stop] : stop;
  if (list.length > max) ctx.addIssue({ code: "custom", message: `at most ${max} stop sequences`, params: LIMIT_PARAMS });
  list.forEach((sequence, i) => {
    if (sequence.length > LIMITS.stopChars) {
      ctx.addIssue({ code: "custom", message: `at most ${LIMITS.stopChars} characters per stop sequence on this server`, path: typeof stop === "string" ? [] : [i], params: LIMIT_PARAMS });
    }
  });
});

/** A list of at most `max` items, saying which in its error. */
export const boundedList = <T extends z.ZodType>(item: T, max: number, what: string) =>
  z.array(item).max(max, { message: `at most ${max} ${what} on this server` });

/** Content as text or as parts, at most LIMITS.contentParts of them (counted after the union, whose own error would not say why). */
export const textOrParts = <T extends z.ZodType>(part: T) => z.union([z.string(), z.array(part)]).superRefine((content, ctx) => {
  if (typeof content !== "string" && content.length > LIMITS.contentParts) {
    ctx.addIssue({ code: "custom", message: `at most ${LIMITS.contentParts} content parts on this server`, params: LIMIT_PARAMS });
  }
});

/** A JSON schema from a client (response format, tool parameters), within LIMITS.schema. */
export const jsonSchemaField = z.record(z.string(), z.unknown()).superRefine((schema, ctx) => {
  const excess = schemaExcess(schema);
  if (excess !== undefined) ctx.addIssue({ code: "custom", message: excess.message, path: excess.path, params: LIMIT_PARAMS });
});
