// What a deprecation is, and the registry built from a list of them: checked once when built, so
// a deprecation that promises less than the README's six months never ships (README,
// "Versioning and deprecation").

/** The shortest time between `since` and `sunset`, in calendar months. */
export const MIN_DEPRECATION_MONTHS = 6;

export type Deprecation = {
  /**
   * What is deprecated: a GraphQL schema coordinate (`Post.likesCount`, `Query.posts(after:)`,
   * `PostOrder.OLDEST`, `CreatePostInput.title`) or a REST operation as the OpenAPI document
   * names it (`GET /v1/posts/{id}`).
   */
  target: string;
  /** The day it was deprecated (YYYY-MM-DD, UTC): the `Deprecation` header. */
  since: string;
  /** The first day it may be gone (YYYY-MM-DD, UTC): the `Sunset` header. */
  sunset: string;
  /** What to use instead, for people: it becomes the GraphQL `deprecationReason`. */
  reason: string;
};

/** Deprecations by target. Empty when nothing is deprecated: callers return at once then. */
export type DeprecationRegistry = ReadonlyMap<string, Deprecation>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The registry of these deprecations; throws, naming the entry, on a malformed or too short one. */
export function createDeprecationRegistry(entries: readonly Deprecation[]): DeprecationRegistry {
  const registry = new Map<string, Deprecation>();
  for (const entry of entries) {
    checkDeprecation(entry);
    if (registry.has(entry.target)) throw new Error(`deprecation of ${entry.target} is listed twice`);
    registry.set(entry.target, Object.freeze({ ...entry }));
  }
  return registry;
}

function checkDeprecation({ target, since, sunset, reason }: Deprecation): void {
  const earliestSunset = new Date(dayToMs(target, since));
  earliestSunset.setUTCMonth(earliestSunset.getUTCMonth() + MIN_DEPRECATION_MONTHS);
  if (dayToMs(target, sunset) < earliestSunset.getTime()) {
    throw new Error(`deprecation of ${target}: sunset ${sunset} is less than ${MIN_DEPRECATION_MONTHS} months after ${since}`);
  }
  if (reason.trim() === '') throw new Error(`deprecation of ${target}: give a reason (what to use instead)`);
}

/** Midnight UTC of a YYYY-MM-DD day, in ms since the epoch. */
export function dayToMs(target: string, day: string): number {
  const ms = DAY.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  // Date.parse rolls 2026-02-31 over to March: a day that does not print back is not a day.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new Error(`deprecation of ${target}: ${JSON.stringify(day)} is not a YYYY-MM-DD day`);
  }
  return ms;
}
