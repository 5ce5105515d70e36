// Request fields accepted but not honoured (a client's hint this server has no use for) are logged and counted, so an
// operator sees what clients ask for without any client being refused for it.
import type { FastifyRequest } from "fastify";
import { boundedWarnings } from "./log-bounds.js";

/** The field a warning is about: the text before its first space or colon, array indexes folded (`tools[3]` → `tools[]`). */
export function fieldOfWarning(warning: string): string {
  return (warning.split(/[\s:]/, 1)[0] ?? "").replace(/\[\d+\]/g, "[]");
}

/** Logs the warnings of `request` once and notes their fields on it for the metrics. */
export function noteIgnoredFields(request: FastifyRequest, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  const fields = [...new Set(warnings.map(fieldOfWarning))];
  request.lals.ignoredFields.push(...fields);
  const { warnings: first, count } = boundedWarnings(warnings);
  request.log.warn({ ignored: fields.slice(0, 20), warnings: first, ...(count > first.length ? { warningCount: count } : {}) }, "parameters accepted but not applied");
}
