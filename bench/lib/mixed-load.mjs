// The load of the mixed run (bench/mixed.mjs): one loop per writer, all at once, each repeating a
// cycle of ten requests: the check read of its next write, the write on one instance, the same
// check on the other instance right after the write's response, and seven of the bench's reads,
// spread over both instances. One request in ten writes; the checks are reads like the others.
import { isDeepStrictEqual } from 'node:util';
import { WRITES } from './mixed-writes.mjs';

export const REQUESTS_PER_CYCLE = 10;
const READS_PER_CYCLE = REQUESTS_PER_CYCLE - 3;
/** @default 20 kept: enough to say what went wrong, not a log. */
const KEPT_VIOLATIONS = 20;

/**
 * Runs the cycles until `durationMs` after the warm-up; only requests started after the warm-up
 * are timed and counted, but every check counts, warm-up or not. `reads`: [{ operation, at: [the
 * request for instances[0], for instances[1]] }]. Stops at the first failed request (it throws).
 */
export async function runMixed({ instances, writers, targets, reads, warmupMs, durationMs }) {
  const startedAt = performance.now();
  const measuredFrom = startedAt + warmupMs;
  const endsAt = measuredFrom + durationMs;
  const run = { isOver: () => run.failed || performance.now() >= endsAt, failed: false };
  const stats = { latencyMs: { read: [], write: [] }, cache: {}, checks: 0, violations: 0, violationExamples: [] };

  /** `role`: for a read, what it counts under in the hit rates: 'check', or the bench operation's name. */
  async function timed(kind, instance, request, token, role) {
    const sentAt = performance.now();
    const { data, outcome } = await send(instance, request, token);
    if (sentAt >= measuredFrom) {
      stats.latencyMs[kind].push(performance.now() - sentAt);
      if (kind === 'read') (stats.cache[role] ??= { HIT: 0, MISS: 0, none: 0 })[outcome ?? 'none'] += 1;
    }
    return { data, outcome };
  }

  async function check(instance, write, writer, when) {
    const { token, ...request } = write.check(writer, targets);
    const { data, outcome } = await timed('read', instance, request, token, 'check');
    stats.checks += 1;
    const expected = write.expected(writer);
    if (isDeepStrictEqual(data, expected)) return;
    stats.violations += 1;
    if (stats.violationExamples.length < KEPT_VIOLATIONS)
      stats.violationExamples.push({ write: write.name, when, instance: instance.name, outcome, expected, got: data });
  }

  async function loop(index) {
    let writer = writers[index];
    const writeAt = instances[index % instances.length];
    const checkAt = instances[(index + 1) % instances.length];
    for (let cycle = 0; !run.isOver(); cycle++) {
      const write = WRITES[cycle % WRITES.length];
      await check(checkAt, write, writer, 'before the write');
      const { data } = await timed('write', writeAt, write.write(writer, targets), writer.token);
      writer = write.apply(writer, data);
      await check(checkAt, write, writer, 'after the write');
      for (let i = 0; i < READS_PER_CYCLE && !run.isOver(); i++) {
        const read = reads[(cycle * READS_PER_CYCLE + i + index) % reads.length];
        const at = (i + index) % instances.length;
        await timed('read', instances[at], read.at[at], null, read.operation);
      }
    }
  }

  const results = await Promise.allSettled(
    writers.map((_, index) =>
      loop(index).catch((error) => {
        run.failed = true; // the other loops stop at their next request
        throw error;
      }),
    ),
  );
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  return { ...stats, measuredSeconds: (performance.now() - measuredFrom) / 1000 };
}

/**
 * One request: a built one ({ method, url, headers, body }) or a { query, variables } for the
 * instance, with the writer's token if given. Anything but a 200 with data and no errors throws.
 */
async function send(instance, request, token) {
  const built = request.url
    ? request
    : { method: 'POST', url: instance.url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) };
  const headers = token ? { ...built.headers, authorization: `Bearer ${token}` } : built.headers;
  const response = await fetch(built.url, { method: built.method, headers, body: built.body });
  const body = await response.json();
  if (response.status !== 200 || body.errors || !body.data)
    throw new Error(`${instance.name} answered ${response.status} ${JSON.stringify(body).slice(0, 500)}: ${instance.describe()}`);
  return { data: body.data, outcome: response.headers.get('x-cache') };
}

/** Percentiles, rates and hit rates of runMixed's stats. */
export function summarizeMixed(stats) {
  const count = (kind) => stats.latencyMs[kind].length;
  const hitRate = (roles) => {
    const hits = roles.reduce((sum, role) => sum + (stats.cache[role]?.HIT ?? 0), 0);
    const misses = roles.reduce((sum, role) => sum + (stats.cache[role]?.MISS ?? 0), 0);
    return hits + misses === 0 ? null : Math.round((hits / (hits + misses)) * 1000) / 1000;
  };
  const operations = Object.keys(stats.cache).filter((role) => role !== 'check');
  const all = [...stats.latencyMs.read, ...stats.latencyMs.write];
  return {
    seconds: Math.round(stats.measuredSeconds * 10) / 10,
    requests: all.length,
    rps: Math.round(all.length / stats.measuredSeconds),
    writeShare: Math.round((count('write') / all.length) * 1000) / 1000,
    latencyMs: { all: percentiles(all), read: percentiles(stats.latencyMs.read), write: percentiles(stats.latencyMs.write) },
    cacheOutcomes: stats.cache,
    hitRate: {
      reads: hitRate(Object.keys(stats.cache)),
      readers: hitRate(operations),
      checks: hitRate(['check']),
      byOperation: Object.fromEntries(operations.map((operation) => [operation, hitRate([operation])])),
    },
    checks: stats.checks,
    violations: stats.violations,
    violationExamples: stats.violationExamples,
  };
}

function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (share) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] * 10) / 10;
  return { p50: at(0.5), p99: at(0.99) };
}
