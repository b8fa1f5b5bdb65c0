// A small seeded PRNG for the seed data. Faker is used only to build word and name pools (see
// text.ts): per-row faker calls cost 5–20 µs each, which alone would take longer than inserting
// a million rows. Each table draws from its own stream, so changing one flag (say, likes per
// post) leaves every other table's rows exactly as they were.

export type Random = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max], both included. */
  between(min: number, max: number): number;
  pick<T>(list: readonly T[]): T;
};

/** A stream of random numbers that depends only on the seed and the stream's name. */
export function createRandom(seed: number, stream: string): Random {
  const next = mulberry32(hashSeed(seed, stream));
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    pick: (list) => list[int(list.length)]!,
  };
}

/** A 32-bit seed from (seed, stream): FNV-1a over the text, so nearby seeds are unrelated. */
export function hashSeed(seed: number, stream: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${seed}:${stream}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// mulberry32: one 32-bit state, fast, and good enough for picking words and times (not crypto).
function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
