// What happened to each client kind's requests: every request sent ends as ok, an expected refusal, or unexpected (with
// why, the first few kept for the report).
const KEPT_REASONS = 12;

export type Outcome = "ok" | "refused" | "unexpected";

export class Tally {
  sent = 0;
  ok = 0;
  refused = 0;
  unexpected = 0;
  /** Overloaded answers that a well-behaved client waited out and retried (not requests: one may be retried twice). */
  retries = 0;
  /** The first unexpected outcomes, described. */
  readonly reasons: string[] = [];
  /** How outcomes came about (status codes, abort points…), counted by label. */
  readonly details = new Map<string, number>();

  constructor(readonly kind: string) {}

  /** Counts one request as sent; call `settle` once when its outcome is known. */
  begin(): void {
    this.sent++;
  }

  settle(outcome: Outcome, detail: string): void {
    this[outcome]++;
    this.details.set(detail, (this.details.get(detail) ?? 0) + 1);
    if (outcome === "unexpected" && this.reasons.length < KEPT_REASONS) this.reasons.push(detail);
  }
}
