// The response cache in Redis, shared by every instance (./store.ts has the rules). Keys, under
// REDIS_PREFIX + "cache:":
//   e:<key>  an answer, expiring with its TTL
//   seq      the invalidation sequence
//   i:<tag>  the sequence number of the tag's last invalidation, kept while a read could care
//   t:<tag>  the entries holding the tag: a sorted set scored by expiry, so that saving prunes
//            the members that expired and a hot tag's set does not grow for ever
// Saving and invalidating are Lua scripts: each runs as one step, so a save never slips between
// an invalidation's bump of the sequence and its deletes. Every key of a script is named in KEYS,
// but they span hash slots: one Redis (or a primary with replicas), not a Redis Cluster.
import type { Redis } from 'ioredis';
import { remainingMs, type ResponseStore } from './store.js';

// KEYS: the entry, then each tag's invalidation and set. ARGV: the lookup's sequence, ms to live, body.
const SAVE = `
local readAt = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
for i = 2, #KEYS, 2 do
  local invalidatedAt = redis.call('GET', KEYS[i])
  if invalidatedAt and tonumber(invalidatedAt) > readAt then return 0 end
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('SET', KEYS[1], ARGV[3], 'PX', ttl)
for i = 3, #KEYS, 2 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  redis.call('ZADD', KEYS[i], now + ttl, KEYS[1])
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1
`;

// KEYS: the sequence, then each tag's invalidation and set. ARGV: how long an invalidation is remembered (ms).
const INVALIDATE = `
local sequence = redis.call('INCR', KEYS[1])
for i = 2, #KEYS, 2 do
  redis.call('SET', KEYS[i], sequence, 'PX', ARGV[1])
  local entries = redis.call('ZRANGE', KEYS[i + 1], 0, -1)
  for j = 1, #entries, 500 do
    redis.call('DEL', unpack(entries, j, math.min(j + 499, #entries)))
  end
  redis.call('DEL', KEYS[i + 1])
end
return sequence
`;

type Scripts = {
  responseCacheSave(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  responseCacheInvalidate(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
};

export function redisStore(client: Redis, prefix: string, ttlMs: number): ResponseStore {
  const at = `${prefix}cache:`;
  const sequenceKey = `${at}seq`;
  const entryKey = (key: string) => `${at}e:${key}`;
  const tagKeys = (tags: readonly string[]) => tags.flatMap((tag) => [`${at}i:${tag}`, `${at}t:${tag}`]);
  // ioredis sends a defined script by its SHA and loads it again if Redis has forgotten it.
  client.defineCommand('responseCacheSave', { lua: SAVE });
  client.defineCommand('responseCacheInvalidate', { lua: INVALIDATE });
  const scripts = client as unknown as Scripts;
  // A read older than the TTL is never saved: remembering an invalidation longer is not needed.
  const rememberMs = ttlMs + 1000;

  return {
    async lookup(key) {
      const [body, sequence] = await client.mget(entryKey(key), sequenceKey);
      return { body: body ?? null, sequence: Number(sequence ?? 0) };
    },
    async save({ key, body, tags, sequence, readStartedAt }) {
      const ttl = remainingMs(ttlMs, readStartedAt);
      if (ttl <= 0) return;
      const keys = [entryKey(key), ...tagKeys(tags)];
      await scripts.responseCacheSave(keys.length, ...keys, sequence, ttl, body);
    },
    async invalidate(tags) {
      const keys = [sequenceKey, ...tagKeys(tags)];
      await scripts.responseCacheInvalidate(keys.length, ...keys, rememberMs);
    },
  };
}
