// Tokens per minute per client, as the rate limiter uses them: in this process (http/rate-limits.ts's TokenBudget) or
// shared through Redis (redis-token-windows.ts), behind one asynchronous interface.

export interface TokenWindow {
  remaining: number;
  resetSeconds: number;
}

/** What a reservation holds: which window, and how many tokens of it. */
export interface HeldTokens {
  readonly window: unknown;
  readonly tokens: number;
}

export interface TokenWindows {
  state(client: string): Promise<TokenWindow>;
  /** Holds `tokens` of the client's window, or undefined when they are not left. */
  reserve(client: string, tokens: number): Promise<HeldTokens | undefined>;
  /** Ends a reservation with what the request used, counted in the window open now. */
  settle(client: string, held: HeldTokens, used: number): Promise<void>;
  spend(client: string, used: number): Promise<void>;
}
