// What one request's log line may carry: the first few of many warnings, each cut short, so a request cannot write
// megabytes of log by sending many items that each earn a warning.
import { quoted } from "../core/quoted.js";

/** Warnings one request's log line lists; the rest are counted. */
export const LOGGED_WARNINGS = 5;
const WARNING_CHARS = 300;

/** The first few warnings, each cut short, and how many there were. */
export function boundedWarnings(warnings: readonly string[]): { warnings: string[]; count: number } {
  return { warnings: warnings.slice(0, LOGGED_WARNINGS).map((w) => quoted(w, WARNING_CHARS)), count: warnings.length };
}
