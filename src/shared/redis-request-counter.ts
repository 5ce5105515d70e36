// @fastify/rate-limit's store in Redis, so that a key's requests per minute hold across every instance: a counter per
// client that expires with its window. A Redis failure is the 503 SharedRedis makes of it, never a request let through.
import type { SharedRedis } from "./shared-redis.js";

const PREFIX = "lals:rpm:";

// KEYS[1] the counter; ARGV[1] the window (ms). Returns {count, ms left}.
const SCRIPT = `
local count = redis.call("INCR", KEYS[1])
if count == 1 then redis.call("PEXPIRE", KEYS[1], ARGV[1]) end
local ttl = redis.call("PTTL", KEYS[1])
if ttl < 0 then
  redis.call("PEXPIRE", KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** The store class the plugin instantiates (it passes its options, which this store does not need). */
export function redisRequestCounter(shared: SharedRedis) {
  return class RedisRequestCounter {
    incr(key: string, callback: Callback, timeWindow: number): void {
      shared.run("counting the request against its rate limit", (redis) => redis.eval(SCRIPT, 1, PREFIX + key, timeWindow) as Promise<[number, number]>)
        .then(([current, ttl]) => callback(null, { current, ttl }), (error: Error) => callback(error));
    }

    child(): RedisRequestCounter {
      return this;
    }
  };
}
