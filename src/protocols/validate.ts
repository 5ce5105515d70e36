// Validates a wire body against its zod schema; the first problem becomes an invalid_request naming the field.
import type { z } from "zod";
import { GatewayError } from "../core/gateway-error.js";

/** Sizes (of lists, strings, maps) are the server's bounds; a number out of range is an ordinary invalid value. */
const SIZE_ORIGINS = new Set(["array", "string", "set", "map", "file"]);

function isLimitIssue(issue: z.core.$ZodIssue): boolean {
  if (issue.code === "too_big") return SIZE_ORIGINS.has(issue.origin);
  return issue.code === "custom" && issue.params?.limit === true;
}

/**
 * zod's `abortEarly`, which its public `validate()` sets, also works through safeParse though the context's type does not
 * list it: a container stops at its first failed child, so ten thousand bad items cost one issue, not ten thousand.
 */
const PARSE_CONTEXT: z.core.ParseContextInternal<z.core.$ZodIssue> = {
  abortEarly: true,
  error: (issue) => (issue.input === undefined ? "Field required" : undefined),
};

/** `["messages", 0, "role"]` → `messages[0].role`. */
export function paramPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out === "" ? String(key) : `${out}.${String(key)}`), "");
}

export function validate<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new GatewayError("invalid_request", "The request body must be a JSON object.");
  }
  const parsed = schema.safeParse(body, PARSE_CONTEXT);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue === undefined ? "" : paramPath(issue.path);
  const message = issue?.message ?? "malformed body";
  throw new GatewayError("invalid_request", param === "" ? message : `${param}: ${message}`, {
    ...(param === "" ? {} : { param }),
    ...(issue !== undefined && isLimitIssue(issue) ? { reason: "input_limit" } : {}),
  });
}

/** What every parser is told by the configuration: how to treat an output-token request above MAX_TOKENS_LIMIT. */
export interface ParseOptions {
  maxTokensLimit: number;
  /** Refuse it (400) rather than lower it to the limit, as vendors treat max_tokens: a ceiling, not a promise. */
  refuseAboveLimit?: boolean;
}

/** A max-tokens value within the configured limit: lowered to it, or refused naming the parameter the client used. */
export function checkMaxTokens<T extends number | undefined>(value: T, policy: ParseOptions, param: string): T {
  const limit = policy.maxTokensLimit;
  if (value === undefined || value <= limit) return value;
  if (policy.refuseAboveLimit === true) {
    throw new GatewayError("invalid_request", `${param} is ${value}, above this server's limit of ${limit} (MAX_TOKENS_LIMIT).`, { param });
  }
  return limit as T;
}

/** The parse options the configuration sets, for every parser. */
export function parseOptions(config: { MAX_TOKENS_LIMIT: number; MAX_TOKENS_OVER_LIMIT: "clamp" | "refuse" }): ParseOptions {
  return { maxTokensLimit: config.MAX_TOKENS_LIMIT, refuseAboveLimit: config.MAX_TOKENS_OVER_LIMIT === "refuse" };
}
