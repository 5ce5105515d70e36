// What `lals check` reports: one result per probe per server, exactly the objects `--json` prints.

/** The API families a probe can speak; `health` is the plain liveness endpoint most local servers have. */
export type Protocol = "health" | "openai" | "anthropic" | "gemini" | "ollama";

/** The order protocols are listed in the pass counts. */
export const PROTOCOLS: readonly Protocol[] = ["health", "openai", "anthropic", "gemini", "ollama"];

/** One probe's outcome on one server. Times are milliseconds; null where nothing was measured. */
export interface CheckResult {
  name: string;
  protocol: Protocol;
  stream: boolean;
  /** False when the server answered the probe's group with 404 or 405: the row reads n/a and fails nothing. */
  offered: boolean;
  /** The probe ran and its answer had the right shape (false for a probe not offered). */
  pass: boolean;
  /** The HTTP status, null when no answer came (refused, timed out, or not sent). */
  status: number | null;
  ttftMs: number | null;
  totalMs: number | null;
  outputTokens: number | null;
  tokensPerSecond: number | null;
  /** Why it failed, or why it reads n/a. */
  error?: string;
}

export interface ServerReport {
  url: string;
  /** The model the probes asked for; null when none was given and none could be found. */
  model: string | null;
  checks: CheckResult[];
}

/** Whether a result fails the check: an offered probe that did not pass. */
export const isFailure = (check: CheckResult): boolean => check.offered && !check.pass;

/** A result's row label: the probe's name, marked when streamed. */
export const probeLabel = (check: Pick<CheckResult, "name" | "stream">): string => (check.stream ? `${check.name} (stream)` : check.name);
