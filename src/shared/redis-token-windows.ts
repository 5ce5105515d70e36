// Token windows in Redis, so that a key's tokens per minute hold across every instance. One hash per client and
// window (tokens used, tokens reserved, the window's id), expiring with the window; each operation is one script, so
// concurrent instances cannot both take the last tokens.
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { SharedRedis } from "./shared-redis.js";
import type { HeldTokens, TokenWindow, TokenWindows } from "./token-windows.js";

const WINDOW_MS = 60_000;
const PREFIX = "lals:tpm:";

// KEYS[1] the client's window; ARGV: op, per-minute budget, window length (ms), a new window's id, tokens, held window id.
// Returns {remaining, ms until reset, window id, reserved (1) or not (0)}.
const SCRIPT = `
local key, op, per, windowMs, newId, tokens, heldId = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5]), ARGV[6]
local function open()
  if redis.call("EXISTS", key) == 0 then
    redis.call("HSET", key, "tokens", 0, "reserved", 0, "id", newId)
    redis.call("PEXPIRE", key, windowMs)
  end
end
local function remaining()
  local used = tonumber(redis.call("HGET", key, "tokens") or "0") + tonumber(redis.call("HGET", key, "reserved") or "0")
  return math.max(0, per - used)
end
local reserved = 0
if op == "reserve" then
  open()
  if remaining() >= tokens then
    redis.call("HINCRBY", key, "reserved", tokens)
    reserved = 1
  end
elseif op == "settle" then
  if redis.call("HGET", key, "id") == heldId then redis.call("HINCRBY", key, "reserved", -tokens) end
elseif op == "spend" then
  open()
  redis.call("HINCRBY", key, "tokens", tokens)
end
local ttl = redis.call("PTTL", key)
if ttl < 0 then ttl = windowMs end
return {remaining(), ttl, redis.call("HGET", key, "id") or "", reserved}
`;

type Reply = [remaining: number, ttlMs: number, windowId: string, reserved: number];

export function redisTokenWindows(shared: SharedRedis, perMinute: number): TokenWindows {
  const call = (what: string, client: string, op: string, tokens = 0, heldId = ""): Promise<Reply> =>
    shared.run(what, (redis: Redis) => redis.eval(SCRIPT, 1, PREFIX + client, op, perMinute, WINDOW_MS, randomBytes(8).toString("hex"), tokens, heldId) as Promise<Reply>);
  const windowOf = ([remaining, ttlMs]: Reply): TokenWindow => ({ remaining, resetSeconds: Math.ceil(ttlMs / 1000) });
  return {
    state: async (client) => windowOf(await call("reading the token budget", client, "state")),
    async reserve(client, tokens) {
      // A request that could never fit a window holds the whole budget: it runs in a window of its own.
      const need = Math.min(tokens, perMinute);
      const reply = await call("reserving tokens of the budget", client, "reserve", need);
      return reply[3] === 1 ? { window: reply[2], tokens: need } : undefined;
    },
    async settle(client, held: HeldTokens, used) {
      await call("settling the tokens used", client, "settle", held.tokens, String(held.window));
      if (used > 0) await call("counting the tokens used", client, "spend", used);
    },
    spend: async (client, used) => void await call("counting the tokens used", client, "spend", used),
  };
}
