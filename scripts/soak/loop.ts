// The shared shape of every soak client: one bounded loop of requests until the soak's deadline.
import type { Target } from "./http.js";
import type { Tally } from "./tally.js";

export interface ClientContext {
  target: Target;
  tally: Tally;
  /** `Date.now()` past which no new request starts. */
  deadline: number;
}

/** Calls `round` until the deadline or `maxRounds`, whichever comes first; a throw there is a bug in the client. */
export async function runRounds(ctx: ClientContext, maxRounds: number, round: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < maxRounds && Date.now() < ctx.deadline; i++) await round(i);
}
