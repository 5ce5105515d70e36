// Rate limits per API key (per client address without keys): requests per minute through @fastify/rate-limit,
// tokens per minute counted here from what each request used. Exceeding either is a 429 in the protocol's shape with
// retry-after, and every answer carries both vendors' rate-limit headers.
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { GatewayError } from "../core/gateway-error.js";
import { presentedKey } from "./api-keys.js";
import { statsOf } from "./request-stats.js";

const WINDOW_MS = 60_000;
const UNLIMITED_PATHS = new Set(["/health", "/", "/metrics"]);

export interface RateLimits {
  requestsPerMinute: number;
  /** 0: no token limit. */
  tokensPerMinute: number;
}

const clientOf = (request: FastifyRequest): string => presentedKey(request) ?? request.ip;
const isUnlimited = (request: FastifyRequest): boolean => UNLIMITED_PATHS.has(request.url.split("?")[0]!);

/** Tokens used per client in fixed one-minute windows. */
export class TokenBudget {
  private readonly used = new Map<string, { windowStart: number; tokens: number }>();

  constructor(private readonly perMinute: number, private readonly now: () => number = Date.now) {}

  private window(client: string): { windowStart: number; tokens: number } {
    const now = this.now();
    let entry = this.used.get(client);
    if (entry === undefined || now - entry.windowStart >= WINDOW_MS) {
      entry = { windowStart: now, tokens: 0 };
      this.used.set(client, entry);
    }
    return entry;
  }

  /** Tokens left in the client's current window, and seconds until it resets. */
  state(client: string): { remaining: number; resetSeconds: number } {
    const entry = this.window(client);
    return { remaining: Math.max(0, this.perMinute - entry.tokens), resetSeconds: Math.ceil((entry.windowStart + WINDOW_MS - this.now()) / 1000) };
  }

  spend(client: string, tokens: number): void {
    this.window(client).tokens += tokens;
  }
}

function vendorHeaders(reply: FastifyReply, kind: "requests" | "tokens", limit: number, remaining: number, resetSeconds: number): void {
  void reply.header(`x-ratelimit-limit-${kind}`, String(limit));
  void reply.header(`x-ratelimit-remaining-${kind}`, String(remaining));
  void reply.header(`x-ratelimit-reset-${kind}`, `${resetSeconds}s`);
  void reply.header(`anthropic-ratelimit-${kind}-limit`, String(limit));
  void reply.header(`anthropic-ratelimit-${kind}-remaining`, String(remaining));
  void reply.header(`anthropic-ratelimit-${kind}-reset`, new Date(Date.now() + resetSeconds * 1000).toISOString());
}

export async function limitRates(app: FastifyInstance, limits: RateLimits): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: limits.requestsPerMinute,
    timeWindow: WINDOW_MS,
    keyGenerator: clientOf,
    allowList: (request) => isUnlimited(request),
    errorResponseBuilder: (_request, context) => new GatewayError("rate_limit",
      `Rate limit reached: ${context.max} requests per minute. Retry in ${Math.ceil(context.ttl / 1000)} s.`,
      { retryAfter: Math.ceil(context.ttl / 1000) }),
  });

  const budget = limits.tokensPerMinute > 0 ? new TokenBudget(limits.tokensPerMinute) : undefined;
  app.addHook("onRequest", async (request, reply) => {
    if (budget === undefined || isUnlimited(request)) return;
    const { remaining, resetSeconds } = budget.state(clientOf(request));
    vendorHeaders(reply, "tokens", limits.tokensPerMinute, remaining, resetSeconds);
    if (remaining <= 0) {
      throw new GatewayError("rate_limit", `Rate limit reached: ${limits.tokensPerMinute} tokens per minute. Retry in ${resetSeconds} s.`, { retryAfter: resetSeconds });
    }
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    const limit = Number(reply.getHeader("x-ratelimit-limit"));
    if (Number.isFinite(limit)) {
      vendorHeaders(reply, "requests", limit, Number(reply.getHeader("x-ratelimit-remaining") ?? 0), Number(reply.getHeader("x-ratelimit-reset") ?? 0));
    }
    return payload;
  });
  app.addHook("onResponse", async (request) => {
    const stats = statsOf(request);
    if (budget !== undefined && stats !== undefined) budget.spend(clientOf(request), stats.inputTokens + stats.outputTokens);
  });
}
