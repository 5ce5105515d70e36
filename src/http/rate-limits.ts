// Rate limits per verified API key (per client address without keys; never per an unverified header, which would buy a
// fresh allowance per request): requests per minute through @fastify/rate-limit, tokens per minute counted here from
// what each request used, aborted and failed ones included. Exceeding either is a 429 in the protocol's shape with
// retry-after, and every answer carries both vendors' rate-limit headers.
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { LRUCache } from "lru-cache";
import { GatewayError } from "../core/gateway-error.js";
import { redisRequestCounter } from "../shared/redis-request-counter.js";
import { redisTokenWindows } from "../shared/redis-token-windows.js";
import type { SharedRedis } from "../shared/shared-redis.js";
import type { HeldTokens, TokenWindows } from "../shared/token-windows.js";
import { noteRejection } from "./rejections.js";

const WINDOW_MS = 60_000;
const UNLIMITED_PATHS = new Set(["/health", "/", "/metrics"]);
/** Clients whose token windows are remembered at once; past it the oldest window is forgotten. */
const MAX_BUDGET_CLIENTS = 10_000;

export interface RateLimits {
  requestsPerMinute: number;
  /** 0: no token limit. */
  tokensPerMinute: number;
}

/** Whom a request's usage counts against: its verified key, else its address. */
export const clientOf = (request: FastifyRequest): string => request.lals.keyId ?? `address:${request.ip}`;
const isUnlimited = (request: FastifyRequest): boolean => UNLIMITED_PATHS.has(request.url.split("?")[0]!);

interface Window {
  start: number;
  tokens: number;
  /** Held by requests admitted and not yet ended: what they may still use. */
  reserved: number;
}

/** Tokens a request holds of its client's window until it ends. */
export interface Reservation {
  readonly window: Window;
  readonly tokens: number;
}

export interface TokenBudgetOptions {
  perMinute: number;
  maxClients?: number;
  now?: () => number;
}

/** Tokens used per client in fixed one-minute windows; a window is forgotten once it is over, and at most `maxClients` are kept (the least recently seen go first). */
export class TokenBudget {
  private readonly windows: LRUCache<string, Window>;
  private readonly perMinute: number;
  private readonly now: () => number;

  constructor({ perMinute, maxClients = MAX_BUDGET_CLIENTS, now = Date.now }: TokenBudgetOptions) {
    this.perMinute = perMinute;
    this.now = now;
    // A window counts from its start (spending in it does not extend it) and is over at 60 s: lru-cache drops an
    // entry once its age passes ttl, so ttl is one millisecond less.
    this.windows = new LRUCache({ max: maxClients, ttl: WINDOW_MS - 1, ttlResolution: 0, noUpdateTTL: true, perf: { now } });
  }

  /** Clients with a window still open. */
  get clients(): number {
    this.windows.purgeStale();
    return this.windows.size;
  }

  /** Tokens left in the client's current window, and seconds until it resets. */
  state(client: string): { remaining: number; resetSeconds: number } {
    const now = this.now();
    const window = this.windows.get(client) ?? { start: now, tokens: 0, reserved: 0 };
    return { remaining: Math.max(0, this.perMinute - window.tokens - window.reserved), resetSeconds: Math.ceil((window.start + WINDOW_MS - now) / 1000) };
  }

  spend(client: string, tokens: number): void {
    this.current(client).tokens += tokens;
  }

  /**
   * Holds `tokens` of the client's window for a request, or returns undefined when they are not left. A request that
   * could never fit a window (more than the whole minute's budget) holds the whole budget: it runs in a window of its own.
   */
  reserve(client: string, tokens: number): Reservation | undefined {
    const need = Math.min(tokens, this.perMinute);
    if (this.state(client).remaining < need) return undefined;
    const window = this.current(client);
    window.reserved += need;
    return { window, tokens: need };
  }

  /** Ends a reservation with what the request used, counted in the window open now. */
  settle(client: string, reservation: Reservation, used: number): void {
    reservation.window.reserved -= reservation.tokens;
    this.spend(client, used);
  }

  private current(client: string): Window {
    let window = this.windows.get(client);
    if (window === undefined) this.windows.set(client, (window = { start: this.now(), tokens: 0, reserved: 0 }));
    return window;
  }
}

/** This process's windows, behind the interface Redis's also have. */
export function localTokenWindows(budget: TokenBudget): TokenWindows {
  return {
    state: async (client) => budget.state(client),
    reserve: async (client, tokens) => budget.reserve(client, tokens),
    settle: async (client, held, used) => budget.settle(client, held as Reservation, used),
    spend: async (client, used) => budget.spend(client, used),
  };
}

function vendorHeaders(reply: FastifyReply, kind: "requests" | "tokens", limit: number, remaining: number, resetSeconds: number): void {
  void reply.header(`x-ratelimit-limit-${kind}`, String(limit));
  void reply.header(`x-ratelimit-remaining-${kind}`, String(remaining));
  void reply.header(`x-ratelimit-reset-${kind}`, `${resetSeconds}s`);
  void reply.header(`anthropic-ratelimit-${kind}-limit`, String(limit));
  void reply.header(`anthropic-ratelimit-${kind}-remaining`, String(remaining));
  void reply.header(`anthropic-ratelimit-${kind}-reset`, new Date(Date.now() + resetSeconds * 1000).toISOString());
}

/** `shared`: count in Redis, across every instance that shares it; otherwise in this process. */
export async function limitRates(app: FastifyInstance, limits: RateLimits, shared?: SharedRedis): Promise<void> {
  await app.register(rateLimit, {
    ...(shared === undefined ? {} : { store: redisRequestCounter(shared) }),
    global: true,
    max: limits.requestsPerMinute,
    timeWindow: WINDOW_MS,
    keyGenerator: clientOf,
    allowList: (request) => isUnlimited(request),
    errorResponseBuilder: (request, context) => {
      noteRejection(request, "rate_limit_requests", { limit: context.max });
      return new GatewayError("rate_limit", `Rate limit reached: ${context.max} requests per minute. Retry in ${Math.ceil(context.ttl / 1000)} s.`,
        { retryAfter: Math.ceil(context.ttl / 1000) });
    },
  });

  app.addHook("onSend", async (_request, reply, payload) => {
    const limit = Number(reply.getHeader("x-ratelimit-limit"));
    if (Number.isFinite(limit)) {
      vendorHeaders(reply, "requests", limit, Number(reply.getHeader("x-ratelimit-remaining") ?? 0), Number(reply.getHeader("x-ratelimit-reset") ?? 0));
    }
    return payload;
  });

  if (limits.tokensPerMinute <= 0) return;
  const budget = shared === undefined ? localTokenWindows(new TokenBudget({ perMinute: limits.tokensPerMinute })) : redisTokenWindows(shared, limits.tokensPerMinute);
  app.addHook("onRequest", async (request, reply) => {
    if (isUnlimited(request)) return;
    const { remaining, resetSeconds } = await budget.state(clientOf(request));
    vendorHeaders(reply, "tokens", limits.tokensPerMinute, remaining, resetSeconds);
    if (remaining <= 0) {
      noteRejection(request, "rate_limit_tokens", { limit: limits.tokensPerMinute });
      throw new GatewayError("rate_limit", `Rate limit reached: ${limits.tokensPerMinute} tokens per minute. Retry in ${resetSeconds} s.`, { retryAfter: resetSeconds });
    }
    // A generation holds what it may use (its prompt and max_tokens) from admission on, so concurrent requests cannot
    // all pass a check made before any of them has spent; what it used is counted when it ends.
    let reservation: HeldTokens | undefined;
    request.lals.reserveTokens = async (tokens) => {
      reservation = await budget.reserve(clientOf(request), tokens);
      if (reservation !== undefined) return;
      const state = await budget.state(clientOf(request));
      noteRejection(request, "rate_limit_tokens", { limit: limits.tokensPerMinute });
      throw new GatewayError("rate_limit",
        `Rate limit reached: this request may use ${Math.min(tokens, limits.tokensPerMinute)} tokens, ${state.remaining} of ${limits.tokensPerMinute} per minute are left. Retry in ${state.resetSeconds} s.`,
        { retryAfter: state.resetSeconds });
    };
    // "close" comes whether the answer was finished or the client left mid-way (fastify's onResponse only comes for the
    // first); a tick later, a generation cut short by the client leaving has stopped adding to the request's usage.
    reply.raw.once("close", () => setImmediate(() => {
      const stats = request.lals.stats;
      const used = stats === undefined ? 0 : stats.inputTokens + stats.outputTokens;
      const settled = reservation !== undefined ? budget.settle(clientOf(request), reservation, used) : used > 0 ? budget.spend(clientOf(request), used) : undefined;
      // The answer is gone: a budget that cannot be told (Redis away) is logged, and its window forgets the reservation when it ends.
      settled?.catch((error: unknown) => request.log.warn({ err: error instanceof Error ? error.message : String(error) }, "tokens used could not be counted"));
    }));
  });
}
