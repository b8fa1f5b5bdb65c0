// When things happen. All times are integer epoch milliseconds (the columns are timestamptz(3)),
// inside the year before `now`, and causal: a post after its author signed up, a comment or a
// like after its post and after its author signed up, a follow after both users signed up.
import type { Random } from './random.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const YEAR_MS = 365 * DAY_MS;

/**
 * Sign-up times, oldest first, so ids follow sign-up order as they do in production. Skewed
 * towards recent dates (a growing app); all at least a day old, leaving room for what follows.
 */
export function signupTimes(random: Random, count: number, nowMs: number): Float64Array {
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) times[i] = nowMs - YEAR_MS + Math.floor(Math.sqrt(random.next()) * (YEAR_MS - DAY_MS));
  return times.sort();
}

/** Posts stop an hour before `now`, so every post has room for comments and likes after it. */
export const postsEndMs = (nowMs: number) => nowMs - HOUR_MS;

/** Uniform in (fromMs, untilMs]; needs fromMs < untilMs. */
export function anyTimeAfter(random: Random, fromMs: number, untilMs: number): number {
  return fromMs + 1 + random.int(untilMs - fromMs);
}

/** In (fromMs, untilMs], most of them soon after fromMs: replies and likes come early. */
export function soonAfter(random: Random, fromMs: number, untilMs: number): number {
  return fromMs + 1 + Math.floor(random.next() ** 3 * (untilMs - fromMs));
}

/**
 * Row order by time (ties by generation order): ids are then given in this order, so a newer
 * post or comment has a larger id, as with a real identity column.
 */
export function orderByTime(times: Float64Array): Uint32Array {
  const order = new Uint32Array(times.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => times[a]! - times[b]! || a - b);
}
