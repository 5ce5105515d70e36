// Exact-match cache of generated replies, as the canonical events they were: one entry serves both protocols,
// streamed or not. Only deterministic requests (temperature 0, or a seed) are cached, and only complete replies, each
// for its own partition (API key).
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { ChatEvent } from "./chat-event.js";
import type { ChatRequest } from "./chat-request.js";

export interface CacheLimits {
  maxEntries: number;
  maxBytes: number;
}

/** Sampled output would change from one run to the next: only greedy or seeded requests have one right answer. */
export const isDeterministic = (request: ChatRequest): boolean => request.sampling.temperature === 0 || request.sampling.seed !== undefined;

/** JSON with object keys sorted, so that equal requests built in a different order give one key. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * The key of a request for the model that serves it: what the client called the model and sent as metadata don't
 * matter; whose request it is does, so that a reply is only ever replayed to the tenant that caused it.
 */
export function cacheKey(request: ChatRequest, servedModel: string): string {
  const { metadata: _metadata, warnings: _warnings, model: _model, partition = "", ...content } = request;
  return createHash("sha256").update(canonicalJson({ servedModel, partition, content })).digest("hex");
}

/** Where replies are kept: this process's memory (ResponseCache) or Redis, shared by every instance (shared/redis-reply-cache.ts). */
export interface ReplyCache {
  lookup(key: string): Promise<ChatEvent[] | undefined>;
  /** Keeps a complete reply; a cache that cannot (Redis away) says so in its log and keeps nothing. */
  keep(key: string, events: ChatEvent[]): Promise<void>;
}

export class ResponseCache implements ReplyCache {
  private readonly entries: LRUCache<string, ChatEvent[]>;

  constructor(limits: CacheLimits) {
    this.entries = new LRUCache({ max: limits.maxEntries, maxSize: limits.maxBytes, sizeCalculation: (events) => Math.max(1, JSON.stringify(events).length) });
  }

  get(key: string): ChatEvent[] | undefined {
    return this.entries.get(key);
  }

  async lookup(key: string): Promise<ChatEvent[] | undefined> {
    return this.entries.get(key);
  }

  async keep(key: string, events: ChatEvent[]): Promise<void> {
    this.entries.set(key, events);
  }
}

/** Replays `cached` (what `cache` held for `key`), or runs `generate` and keeps its events if they end well. */
export async function* throughCache(cache: ReplyCache, key: string, cached: ChatEvent[] | undefined, generate: () => AsyncIterable<ChatEvent>): AsyncGenerator<ChatEvent> {
  if (cached !== undefined) {
    yield* cached;
    return;
  }
  const events: ChatEvent[] = [];
  for await (const event of generate()) {
    events.push(event);
    // Kept before it is handed on: a consumer may stop right at the end event.
    if (event.type === "end") await cache.keep(key, events);
    yield event;
  }
}
