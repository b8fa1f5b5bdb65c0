// What the soak's clients saw, counted as it happens and read at each scrape: every answer is
// ok (a well-behaved request answered), refused or accepted (a hostile one answered as it must
// be), or unexpected (anything else: a wrong status, an error, a transport failure, a read that
// missed its own write). Totals are cumulative; the scrapes' differences give rates.

/**
 * @default 3 examples kept of each kind of unexpected answer: enough to say what went wrong, not a
 * log; per kind, so that a frequent one cannot leave a rare one without its example.
 */
const KEPT_PER_KIND = 3;

export function createTally() {
  return {
    requests: 0,
    ok: 0,
    /** By operation (well-behaved) or hostile kind: { ok, refused, accepted, unexpected }. */
    byOperation: {},
    /** Expected refusals, by hostile kind. */
    refused: {},
    /** Unexpected answers, by what they were: "feed: 500", "node: fetch failed", "stale read: writerPosts"… */
    unexpected: {},
    examples: [],
  };
}

/** Counts one answer; `what` says what an unexpected one was, `example` what to keep of it. */
export function record(tally, operation, outcome, what = null, example = null) {
  tally.requests += 1;
  const counts = (tally.byOperation[operation] ??= { ok: 0, refused: 0, accepted: 0, unexpected: 0 });
  counts[outcome] += 1;
  if (outcome === 'ok') tally.ok += 1;
  if (outcome === 'refused') tally.refused[operation] = (tally.refused[operation] ?? 0) + 1;
  if (outcome === 'unexpected') {
    const key = `${operation}: ${what}`;
    tally.unexpected[key] = (tally.unexpected[key] ?? 0) + 1;
    if (tally.unexpected[key] <= KEPT_PER_KIND) tally.examples.push({ at: new Date().toISOString(), operation, what, ...example });
  }
}

/** Counts an unexpected event that was no request of the loops (a WebSocket error, a failed scrape). */
export function recordIncident(tally, what, example = null) {
  tally.unexpected[what] = (tally.unexpected[what] ?? 0) + 1;
  if (tally.unexpected[what] <= KEPT_PER_KIND) tally.examples.push({ at: new Date().toISOString(), what, ...example });
}

/** A copy of the counters for a scrape (the examples stay in the tally). */
export function snapshot(tally) {
  const { requests, ok, byOperation, refused, unexpected } = tally;
  return structuredClone({ requests, ok, byOperation, refused, unexpected });
}

/** Sum of a { key: count } map. */
export const total = (counts) => Object.values(counts).reduce((sum, count) => sum + count, 0);
