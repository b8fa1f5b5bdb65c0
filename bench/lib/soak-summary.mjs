// The figures of a soak run (bench/soak.mjs's raw series): memory at set times, its slope over
// the second half with a verdict, event-loop lag, requests and what became of them.
import { total } from './soak-tally.mjs';

/** Minutes at which memory is reported (and marked on the chart). */
export const MARK_MINUTES = [1, 10, 20];
/**
 * @default 0.5 MiB/min: RSS still growing faster than this over the second half does not level
 * off (0.5 MiB/min is 720 MiB a day); slower is within what garbage collection moves it by.
 */
export const LEVELS_OFF_MIB_PER_MINUTE = 0.5;
/** @default 10 minutes: shorter, the slope says too little about a leak to give a verdict on. */
export const SHORTEST_VERDICT_MINUTES = 10;

const MIB = 2 ** 20;

export function summarize(run) {
  const during = run.scrapes.filter((scrape) => scrape.t <= run.loadEndedAt + 0.5);
  const end = during.at(-1);
  const memoryAt = (scrape, label) =>
    scrape && { label, t: scrape.t, rssMib: mib(scrape.server.rssBytes), heapMib: mib(scrape.server.heapUsedBytes) };
  const secondHalf = during.filter((scrape) => scrape.t >= run.loadEndedAt / 2 && scrape.server.rssBytes !== null);
  const rssSlope = slopePerMinute(secondHalf.map((s) => [s.t, s.server.rssBytes / MIB]));
  const heapSlope = slopePerMinute(secondHalf.map((s) => [s.t, s.server.heapUsedBytes / MIB]));
  const lagP99 = during.map((s) => s.server.lagP99Seconds).filter((v) => v !== null);
  const totals = run.totals;
  const loadMinutes = run.loadEndedAt / 60;
  return {
    memory: [
      memoryAt(run.scrapes[0], 'start (before load)'),
      ...MARK_MINUTES.map((minutes) => memoryAt(nearest(during, minutes * 60, run.settings.scrapeSeconds), `${minutes} min`)),
      memoryAt(end, `end (${formatMinutes(end.t)})`),
    ].filter(Boolean),
    rssSlopeMibPerMinute: round(rssSlope, 2),
    heapSlopeMibPerMinute: round(heapSlope, 2),
    /** 'levels off', 'does not level off', or 'too short to tell' (a run under SHORTEST_VERDICT_MINUTES). */
    verdict:
      loadMinutes < SHORTEST_VERDICT_MINUTES
        ? 'too short to tell'
        : Math.abs(rssSlope) <= LEVELS_OFF_MIB_PER_MINUTE
          ? 'levels off'
          : 'does not level off',
    lagMs: { p99Median: round(median(lagP99) * 1000, 1), p99Max: round(Math.max(...lagP99) * 1000, 1) },
    requests: {
      total: totals.requests,
      perSecond: Math.round(totals.requests / run.loadEndedAt),
      ok: totals.ok,
      refused: total(totals.refused),
      accepted: total(Object.values(totals.byOperation).map((counts) => counts.accepted)),
      unexpected: total(totals.unexpected),
      hostile: total(run.hostileKinds.map((kind) => requestsOf(totals.byOperation[kind]))),
    },
    rateRange: rateRange(during),
    maxScrapeMs: Math.max(...run.scrapes.map((s) => s.scrapeMs)),
    maxOperationNames: Math.max(...run.scrapes.map((s) => s.server.operationNameCount)),
    openFds: { start: run.scrapes[0].server.openFds, end: end.server.openFds },
  };
}

/** Client-side req/s per scrape interval, as the chart draws it: [t, req/s] from the second scrape on. */
export function requestRates(scrapes) {
  return scrapes.slice(1).map((scrape, i) => {
    const before = scrapes[i];
    return [scrape.t, (scrape.client.requests - before.client.requests) / Math.max(0.001, scrape.t - before.t)];
  });
}

function rateRange(during) {
  // The first and last intervals are partial (the load starting and stopping): left out.
  const rates = requestRates(during)
    .slice(1, -1)
    .map(([, rate]) => rate);
  return rates.length === 0
    ? null
    : { min: Math.round(Math.min(...rates)), median: Math.round(median(rates)), max: Math.round(Math.max(...rates)) };
}

const requestsOf = (counts) => (counts ? counts.ok + counts.refused + counts.accepted + counts.unexpected : 0);

/** The scrape closest to `t`, if one is within a scrape interval of it. */
function nearest(scrapes, t, intervalSeconds) {
  const best = scrapes.reduce((found, scrape) => (Math.abs(scrape.t - t) < Math.abs(found.t - t) ? scrape : found), scrapes[0]);
  return Math.abs(best.t - t) <= intervalSeconds ? best : null;
}

/** Least-squares slope of [seconds, value] points, per minute; 0 with fewer than two. */
function slopePerMinute(points) {
  if (points.length < 2) return 0;
  const meanT = points.reduce((sum, [t]) => sum + t, 0) / points.length;
  const meanV = points.reduce((sum, [, v]) => sum + v, 0) / points.length;
  const covariance = points.reduce((sum, [t, v]) => sum + (t - meanT) * (v - meanV), 0);
  const variance = points.reduce((sum, [t]) => sum + (t - meanT) ** 2, 0);
  return variance === 0 ? 0 : (covariance / variance) * 60;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
}

const mib = (bytes) => (bytes === null ? null : round(bytes / MIB, 1));
const round = (value, places) => Math.round(value * 10 ** places) / 10 ** places;
export const formatMinutes = (seconds) => `${round(seconds / 60, 1)} min`;
