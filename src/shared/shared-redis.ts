// The Redis that instances behind one balancer share (REDIS_URL): one connection per process, commands that fail at
// once while it is away (no offline queue, one retry), each failure a 503 in the client's protocol, and one log line
// when it goes and one when it comes back. ioredis reconnects by itself.
import { Redis } from "ioredis";
import type { FastifyBaseLogger as Logger } from "fastify";
import { GatewayError } from "../core/gateway-error.js";

/** Seconds a refused client is told to wait: about how long a reconnection takes. */
const RETRY_AFTER_SECONDS = 5;
const MAX_RECONNECT_DELAY_MS = 2_000;

export class SharedRedis {
  readonly client: Redis;
  private reachable = false;

  constructor(url: string, private readonly log: Logger) {
    this.client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
    });
    this.client.on("ready", () => {
      if (!this.reachable) this.log.info({ redis: redacted(url) }, "shared state reachable");
      this.reachable = true;
    });
    this.client.on("error", (error: Error) => {
      if (this.reachable) this.log.error({ redis: redacted(url), err: error.message }, "shared state unreachable: what needs it answers 503 until it is back");
      this.reachable = false;
    });
  }

  /** Connects, waiting at most a moment: a Redis not there yet is retried in the background, and until then requests get 503s. */
  async connect(): Promise<void> {
    await this.client.connect().catch((error: unknown) => {
      this.log.error({ err: error instanceof Error ? error.message : String(error) }, "shared state unreachable at start: retrying; what needs it answers 503 until it is there");
    });
  }

  /** Runs `command`; a failure of Redis itself is a 503 saying what could not be done (`what`: "storing the response"). */
  async run<T>(what: string, command: (redis: Redis) => Promise<T>): Promise<T> {
    try {
      return await command(this.client);
    } catch (error) {
      throw new GatewayError("unavailable", `The shared state (Redis) is unreachable: ${what} failed. Retry shortly.`, { retryAfter: RETRY_AFTER_SECONDS, cause: error });
    }
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}

/** The URL without its password, for logs. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable REDIS_URL)";
  }
}
