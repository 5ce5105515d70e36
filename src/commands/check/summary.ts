// The lines under the table: each server's pass counts per protocol, each failure with its reason, and the verdict.
import { isFailure, PROTOCOLS, probeLabel, type CheckResult, type ServerReport } from "./check-result.js";

/** `health 1/1 · openai 3/5 · gemini n/a`: passed of offered, per protocol; n/a when it offers none of them. */
export function passCounts(checks: readonly CheckResult[]): string {
  return PROTOCOLS.flatMap((protocol) => {
    const mine = checks.filter((check) => check.protocol === protocol);
    if (mine.length === 0) return [];
    const offered = mine.filter((check) => check.offered);
    if (offered.length === 0) return [`${protocol} n/a`];
    const missing = mine.length - offered.length;
    return [`${protocol} ${offered.filter((check) => check.pass).length}/${offered.length}${missing > 0 ? ` (${missing} n/a)` : ""}`];
  }).join(" · ");
}

/** Every failed probe of every server, one line each, with its reason. */
export function failureLines(reports: readonly ServerReport[]): string[] {
  return reports.flatMap((report) => report.checks.filter(isFailure).map((check) =>
    `  FAIL ${report.url}  ${check.protocol} ${probeLabel(check)}: ${check.error ?? "failed"}`));
}

/** The pass counts, the failures and the verdict, as printed under the table. */
export function renderSummary(reports: readonly ServerReport[]): string {
  const failures = failureLines(reports);
  const counts = reports.map((report) => `${report.url}  ${passCounts(report.checks)}`);
  const verdict = failures.length === 0
    ? `ok: every offered probe passed on ${reports.length === 1 ? "the server" : `all ${reports.length} servers`}`
    : `FAIL: ${failures.length} probe${failures.length === 1 ? "" : "s"} failed`;
  return [...counts, ...(failures.length === 0 ? [] : ["", ...failures]), "", verdict, ""].join("\n");
}
