// Where cached answers live: this process's memory without REDIS_URL, Redis with it
// (./redis-store.ts). Both keep the same rules, which make invalidation safe against the race
// every invalidating cache has: a read that began before a write committed, and finishes after
// the write dropped what it changed, must not put its old answer back.
//
// - Every invalidation takes the next number of a sequence and remembers it for each tag it drops.
// - A lookup returns, with the entry (if any), the sequence as it stands before the read begins.
// - Saving an answer is refused if any of its tags was invalidated after that number: the read
//   may have seen the database before the write. Check and save are one atomic step.
// - An entry lives for what is left of the TTL counted from the start of its read, so no answer
//   read before a commit outlives the commit by more than the TTL, whatever happens to the
//   invalidation (./response-cache.ts waits that long for one Redis does not take).
import { LRUCache } from 'lru-cache';
import { EVERYTHING } from './tags.js';

export type Lookup = { body: string | null; sequence: number };

export type Entry = {
  key: string;
  body: string;
  /** What the answer depends on (./tags.ts); EVERYTHING among them. */
  tags: readonly string[];
  /** The sequence the lookup before the read returned. */
  sequence: number;
  /** Date.now() before the lookup. */
  readStartedAt: number;
};

export type ResponseStore = {
  lookup(key: string): Lookup | Promise<Lookup>;
  /** Stores `entry` unless a tag of it was invalidated since its lookup, or its time is up. */
  save(entry: Entry): void | Promise<void>;
  /** Drops every entry holding one of `tags`. */
  invalidate(tags: readonly string[]): void | Promise<void>;
};

/** How long an entry saved now may live: the TTL less the time its read took. */
export const remainingMs = (ttlMs: number, readStartedAt: number) => ttlMs - (Date.now() - readStartedAt);

/** @default 64 MiB of cached bodies (UTF-16 code units, roughly bytes for JSON) per process. */
const MEMORY_MAX_CHARS = 64 * 1024 * 1024;
/** Invalidations remembered at once; one forgotten early makes older reads unsaveable instead. */
const MEMORY_MAX_INVALIDATIONS = 100_000;

type Stored = { body: string; tags: readonly string[] };

export function memoryStore(ttlMs: number): ResponseStore {
  const byTag = new Map<string, Set<string>>();
  const entries = new LRUCache<string, Stored>({
    maxSize: MEMORY_MAX_CHARS,
    sizeCalculation: (stored) => Math.max(1, stored.body.length),
    ttl: ttlMs,
    dispose: (stored, key) => {
      for (const tag of stored.tags) {
        const keys = byTag.get(tag);
        keys?.delete(key);
        if (keys?.size === 0) byTag.delete(tag);
      }
    },
  });
  let sequence = 0;
  // Below this, a read may have missed an invalidation that was forgotten to make room.
  let floor = 0;
  // A read older than the TTL is never saved, so an invalidation older than that is not needed.
  const invalidated = new LRUCache<string, number>({
    max: MEMORY_MAX_INVALIDATIONS,
    ttl: ttlMs + 1000,
    dispose: (at, _tag, reason) => {
      if (reason === 'evict') floor = Math.max(floor, at);
    },
  });

  return {
    lookup: (key) => ({ body: entries.get(key)?.body ?? null, sequence }),
    save({ key, body, tags, sequence: readAt, readStartedAt }) {
      const ttl = remainingMs(ttlMs, readStartedAt);
      if (ttl <= 0 || readAt < floor || tags.some((tag) => (invalidated.get(tag) ?? 0) > readAt)) return;
      entries.set(key, { body, tags }, { ttl });
      for (const tag of tags) {
        let keys = byTag.get(tag);
        if (!keys) byTag.set(tag, (keys = new Set()));
        keys.add(key);
      }
    },
    invalidate(tags) {
      sequence += 1;
      for (const tag of tags) {
        invalidated.set(tag, sequence);
        if (tag === EVERYTHING) entries.clear();
        for (const key of [...(byTag.get(tag) ?? [])]) entries.delete(key);
      }
    },
  };
}
