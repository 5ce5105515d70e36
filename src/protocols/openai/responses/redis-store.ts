// The Responses store in Redis (REDIS_URL), so a conversation continues by previous_response_id on any instance. The
// same bounds as this process's store (entries, bytes, age, and each owner's quota, its own least recently used going
// first) and the same item index for item_reference, each operation one script on Redis's own clock. Keys:
//   e:<owner>\0<id>  the entry's JSON        ids:<owner>\0<id>  its referenceable item ids (JSON)
//   lru:<owner>      ids by last use (zset; uses counted by the counter `uses`)  size:<owner> id → bytes   bytes:<owner> the owner's total
//   all              owner\0id by last use   allbytes the store's total  exp  owner\0id by expiry time
//   items:<owner>    item id → item JSON     refs:<owner> item id → how many stored responses carry it
import type { SharedRedis } from "../../../shared/shared-redis.js";
import { referenceableId } from "./item-index.js";
import type { InputItem } from "./schema.js";
import { withQuotas, type ResponsesStore, type StoreLimits, type StoredResponse } from "./store.js";

const COMMON = `
local P = "lals:resp:"
local SEP = string.char(0)
local clock = redis.call("TIME")
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
-- Uses are ordered by a counter, not the clock: two in one millisecond still have an order.
local function tick() return redis.call("INCR", P .. "uses") end
local function split(k)
  local at = string.find(k, SEP, 1, true)
  return string.sub(k, 1, at - 1), string.sub(k, at + 1)
end
local function remove(owner, id)
  local k = owner .. SEP .. id
  local size = redis.call("HGET", P .. "size:" .. owner, id)
  if not size then return 0 end
  redis.call("HDEL", P .. "size:" .. owner, id)
  redis.call("DECRBY", P .. "bytes:" .. owner, size)
  redis.call("DECRBY", P .. "allbytes", size)
  redis.call("ZREM", P .. "lru:" .. owner, id)
  redis.call("ZREM", P .. "all", k)
  redis.call("ZREM", P .. "exp", k)
  redis.call("DEL", P .. "e:" .. k)
  local ids = redis.call("GET", P .. "ids:" .. k)
  if ids then
    for _, item in ipairs(cjson.decode(ids)) do
      if redis.call("HINCRBY", P .. "refs:" .. owner, item, -1) <= 0 then
        redis.call("HDEL", P .. "refs:" .. owner, item)
        redis.call("HDEL", P .. "items:" .. owner, item)
      end
    end
    redis.call("DEL", P .. "ids:" .. k)
  end
  return 1
end
local function expire()
  for _, k in ipairs(redis.call("ZRANGEBYSCORE", P .. "exp", "-inf", now, "LIMIT", 0, 1000)) do
    local owner, id = split(k)
    remove(owner, id)
  end
end
expire()
`;

// ARGV: owner, id, entry JSON, its bytes, max age (ms), per-owner entries and bytes, all entries and bytes, its
// item ids (JSON), then item id, item JSON pairs.
const PUT = `${COMMON}
local owner, id, json = ARGV[1], ARGV[2], ARGV[3]
local bytes, maxAge = tonumber(ARGV[4]), tonumber(ARGV[5])
local ownerEntries, ownerBytes, allEntries, allBytes = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
remove(owner, id)
if bytes > ownerBytes or bytes > allBytes then return 0 end
local k = owner .. SEP .. id
redis.call("SET", P .. "e:" .. k, json, "PX", maxAge)
redis.call("HSET", P .. "size:" .. owner, id, bytes)
redis.call("INCRBY", P .. "bytes:" .. owner, bytes)
redis.call("INCRBY", P .. "allbytes", bytes)
local used = tick()
redis.call("ZADD", P .. "lru:" .. owner, used, id)
redis.call("ZADD", P .. "all", used, k)
redis.call("ZADD", P .. "exp", now + maxAge, k)
redis.call("SET", P .. "ids:" .. k, ARGV[10])
for i = 11, #ARGV, 2 do
  redis.call("HSET", P .. "items:" .. owner, ARGV[i], ARGV[i + 1])
  redis.call("HINCRBY", P .. "refs:" .. owner, ARGV[i], 1)
end
while redis.call("ZCARD", P .. "lru:" .. owner) > ownerEntries or tonumber(redis.call("GET", P .. "bytes:" .. owner) or "0") > ownerBytes do
  local oldest = redis.call("ZRANGE", P .. "lru:" .. owner, 0, 0)[1]
  if not oldest then break end
  remove(owner, oldest)
end
while redis.call("ZCARD", P .. "all") > allEntries or tonumber(redis.call("GET", P .. "allbytes") or "0") > allBytes do
  local oldest = redis.call("ZRANGE", P .. "all", 0, 0)[1]
  if not oldest then break end
  local o, i = split(oldest)
  remove(o, i)
end
return 1
`;

// ARGV: owner, id. A read is a use: the entry becomes its owner's most recently used.
const GET = `${COMMON}
local owner, id = ARGV[1], ARGV[2]
local k = owner .. SEP .. id
local json = redis.call("GET", P .. "e:" .. k)
if json then
  local used = tick()
  redis.call("ZADD", P .. "lru:" .. owner, used, id)
  redis.call("ZADD", P .. "all", used, k)
end
return json
`;

const DELETE = `${COMMON}
return remove(ARGV[1], ARGV[2])
`;

// ARGV: owner, then the item ids.
const ITEMS = `${COMMON}
local found = {}
for i = 2, #ARGV do
  -- A missing field is false, which the reply carries as nil without cutting the list short.
  found[i - 1] = redis.call("HGET", P .. "items:" .. ARGV[1], ARGV[i])
end
return found
`;

export class RedisResponsesStore implements ResponsesStore {
  private readonly limits: Required<StoreLimits>;

  constructor(private readonly shared: SharedRedis, limits: StoreLimits) {
    this.limits = withQuotas(limits);
  }

  async put(owner: string, entry: StoredResponse): Promise<void> {
    const json = JSON.stringify(entry);
    const items = entry.conversation.flatMap((item) => {
      const id = referenceableId(item);
      return id === undefined ? [] : [[id, JSON.stringify(item)] as const];
    });
    const { maxAgeMs, maxEntriesPerOwner, maxBytesPerOwner, maxEntries, maxBytes } = this.limits;
    await this.shared.run("storing the response", (redis) => redis.eval(PUT, 0, owner, entry.response.id, json, Math.max(1, Buffer.byteLength(json)), maxAgeMs,
      maxEntriesPerOwner, maxBytesPerOwner, maxEntries, maxBytes, JSON.stringify(items.map(([id]) => id)), ...items.flat()));
  }

  async get(owner: string, id: string): Promise<StoredResponse | undefined> {
    const json = await this.shared.run("reading the stored response", (redis) => redis.eval(GET, 0, owner, id) as Promise<string | null>);
    return json === null ? undefined : JSON.parse(json) as StoredResponse;
  }

  async delete(owner: string, id: string): Promise<boolean> {
    return await this.shared.run("deleting the stored response", (redis) => redis.eval(DELETE, 0, owner, id)) === 1;
  }

  async items(owner: string, ids: readonly string[]): Promise<Map<string, InputItem>> {
    if (ids.length === 0) return new Map();
    const found = await this.shared.run("reading the referenced items", (redis) => redis.eval(ITEMS, 0, owner, ...ids) as Promise<Array<string | null>>);
    return new Map(ids.flatMap((id, i) => (found[i] == null ? [] : [[id, JSON.parse(found[i]!) as InputItem] as const])));
  }
}
