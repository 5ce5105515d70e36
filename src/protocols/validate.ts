// Validates a wire body against its zod schema; the first problem becomes an invalid_request naming the field.
import type { z } from "zod";
import { GatewayError } from "../core/gateway-error.js";

/** `["messages", 0, "role"]` → `messages[0].role`. */
export function paramPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out === "" ? String(key) : `${out}.${String(key)}`), "");
}

export function validate<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new GatewayError("invalid_request", "The request body must be a JSON object.");
  }
  const parsed = schema.safeParse(body, { error: (issue) => (issue.input === undefined ? "Field required" : undefined) });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue === undefined ? "" : paramPath(issue.path);
  const message = issue?.message ?? "malformed body";
  throw new GatewayError("invalid_request", param === "" ? message : `${param}: ${message}`, param === "" ? {} : { param });
}

/** Rejects a max-tokens value above the configured limit, naming the parameter the client used. */
export function checkMaxTokens(value: number | undefined, limit: number, param: string): void {
  if (value !== undefined && value > limit) {
    throw new GatewayError("invalid_request", `${param} is ${value}, above this server's limit of ${limit} (MAX_TOKENS_LIMIT).`, { param });
  }
}
