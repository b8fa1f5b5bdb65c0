// Loads one server with one operation (autocannon), and the rounds around it: the server order
// alternates between rounds, so that neither gets the machine's warmer or quieter moments
// every time; the figures are the medians over rounds.
import autocannon from 'autocannon';

/** @default 16 connections: as many as each server's pool has (issue 5's setting). */
export const CONNECTIONS = 16;

export const PLANS = {
  full: { rounds: 3, durationSeconds: 10, warmupSeconds: 3 },
  quick: { rounds: 1, durationSeconds: 4, warmupSeconds: 1 },
};

async function load(server, request, durationSeconds) {
  const instance = autocannon({
    url: request.url,
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections: CONNECTIONS,
    duration: durationSeconds,
  });
  let firstError = null; // autocannon only counts errors: keep one to say what went wrong
  instance.once('reqError', (error) => {
    firstError = error;
  });
  const result = await instance;
  const failures = result.errors + result.timeouts + result.non2xx;
  if (failures > 0) {
    const codes = Object.entries(result.statusCodeStats ?? {})
      .map(([code, { count }]) => `${code}: ${count}`)
      .join(', ');
    throw new Error(
      `${failures} failures in ${result.requests.total} requests (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}; status ${codes}; first error: ${firstError?.message ?? 'none'}): ${server.describe()}`,
    );
  }
  return { rps: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
}

/**
 * Every operation on every server it has a request for, `plan.rounds` times, each server sent its
 * own request, requests[operation][server] (lib/operations.mjs). The first round warms each server up on
 * each operation (JIT, pool connections, Postgres plan caches) before measuring it.
 * Returns samples[operation][server] = [{ rps, p50Ms, p99Ms, rssMb }, …], one per round.
 */
export async function runRounds(servers, requests, plan, onSample) {
  const samples = {};
  for (let round = 0; round < plan.rounds; round++) {
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const [operation, requestOf] of Object.entries(requests)) {
      for (const server of order) {
        const request = requestOf[server.name]; // in the server's own API's terms
        if (!request) continue; // a REST operation on a server without REST
        if (round === 0) await load(server, request, plan.warmupSeconds);
        server.resetPeakRss();
        const sample = { ...(await load(server, request, plan.durationSeconds)), rssMb: server.peakRssMb() };
        ((samples[operation] ??= {})[server.name] ??= []).push(sample);
        onSample?.({ round, operation, server: server.name, ...sample });
      }
    }
  }
  return samples;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
