// One soak run (bench/soak.mjs): the server as the soak runs it, then the load, the subscribers
// and the scraper started together, stopped together, and what they recorded as one object (the
// raw series written to bench/results/).
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dashboardFamilies } from './dashboard-panels.mjs';
import { createWriters } from './mixed-writes.mjs';
import { readFixtures } from './operations.mjs';
import { parseMetrics } from './prometheus-text.mjs';
import { describeMachine } from './report.mjs';
import { REDIS_PREFIX, REDIS_URL, startServer } from './servers.mjs';
import { HOSTILE_KINDS, badTokens } from './soak-hostile.mjs';
import { runLoops } from './soak-loops.mjs';
import { ANONYMOUS_CLIENTS, buildPopulation } from './soak-requests.mjs';
import { clientFigures, startScraper } from './soak-scrape.mjs';
import { createLogCounter } from './soak-server-log.mjs';
import { startStreams } from './soak-streams.mjs';
import { createTally, snapshot } from './soak-tally.mjs';

const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * What the soak sets; the rest stays at its default, the guards included (servers.mjs adds the
 * bench's JWT_SECRET, pool size, LOG_LEVEL=warn and NODE_ENV=development). TRUST_PROXY: the
 * load's clients are told apart by X-Forwarded-For, as behind a proxy.
 */
const SERVER_ENV = { METRICS: 'true', RESPONSE_CACHE: 'true', TRUST_PROXY: '127.0.0.1', LOG_LEVEL: 'warn' };

export async function startSoakServer(databaseUrl) {
  const log = createLogCounter();
  const server = await startServer('soak', databaseUrl, {
    cwd: ROOT_DIR,
    args: ['--enable-source-maps', 'dist/main.js'],
    env: { ...SERVER_ENV, REDIS_URL, REDIS_PREFIX },
    api: 'ours',
    onOutput: log.onOutput,
  });
  return Object.assign(server, { log });
}

export async function runSoak({
  server,
  databaseUrl,
  minutes,
  loops,
  streams: streamSettings,
  scrapeSeconds,
  settleSeconds,
  interruption,
  say,
}) {
  const fixtures = await readFixtures(databaseUrl);
  const population = await buildPopulation(databaseUrl, fixtures);
  const tokens = { bad: await badTokens() };
  const writers = await createWriters(server.url, loops * 2, REDIS_PREFIX.replace(/\W/g, ''));
  const tally = createTally();
  const date = new Date().toISOString();
  const loadAverageAtStart = os.loadavg()[0];
  const startedAt = performance.now();
  const endsAt = startedAt + minutes * 60_000;
  const streamsRef = { current: null };
  const scraper = startScraper({
    metricsUrl: new URL('/metrics', server.url).href,
    intervalMs: scrapeSeconds * 1000,
    families: dashboardFamilies(),
    startedAt,
    tally,
    clients: () => clientFigures(tally, streamsRef.current),
  });
  const streams = startStreams({
    graphqlUrl: server.url,
    hotPostId: population.hotPostId,
    viewerTokens: population.viewerTokens,
    tally,
    ...streamSettings,
  });
  streamsRef.current = streams;
  const progress = setInterval(() => say(progressLine(tally, startedAt)), 60_000);
  try {
    await runLoops({
      loops,
      graphqlUrl: server.url,
      population,
      writers,
      tokens,
      tally,
      isOver: () => interruption.isInterrupted || performance.now() >= endsAt,
    });
  } finally {
    clearInterval(progress);
  }
  const loadEndedAt = (performance.now() - startedAt) / 1000;
  const loadAverageAtEnd = os.loadavg()[0];
  const endOfLoad = { ...(await scrapeFigures(server)), clientWebSockets: streams.stats().webSocketsConnected };
  const streamStats = streams.stats();
  await streams.stop();
  await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
  await scraper.stop();
  return {
    date,
    machine: describeMachine(),
    minutes,
    settings: {
      loops,
      writers: writers.length,
      feedViewers: population.viewerTokens.length,
      anonymousClients: ANONYMOUS_CLIENTS,
      ...streamSettings,
      scrapeSeconds,
      serverEnv: SERVER_ENV,
    },
    hostileKinds: HOSTILE_KINDS.map((kind) => kind.name),
    loadEndedAt: Math.round(loadEndedAt * 10) / 10,
    loadAverage: { start: loadAverageAtStart.toFixed(2), end: loadAverageAtEnd.toFixed(2) },
    settleSeconds,
    // Prometheus would attach these to every sample it scraped (lib/dashboard-render.mjs adds them).
    scrapeLabels: { job: 'social-graphql', instance: new URL(server.url).host },
    totals: snapshot(tally),
    examples: tally.examples,
    streams: streamStats,
    endOfLoad,
    afterClientsLeft: scraper.scrapes.at(-1)?.server ?? null,
    serverLog: { counts: server.log.counts, examples: server.log.examples },
    scrapes: scraper.scrapes,
  };
}

/** The server's open WebSockets and subscribers right now (one extra scrape, not kept in the series). */
async function scrapeFigures(server) {
  const samples = parseMetrics(await (await fetch(new URL('/metrics', server.url))).text(), [
    'websocket_connections_open',
    'subscriptions_active',
  ]);
  return {
    webSockets: samples.websocket_connections_open?.[0]?.[1] ?? null,
    subscribers: Object.fromEntries((samples.subscriptions_active ?? []).map(([labels, value]) => [labels.field, value])),
  };
}

function progressLine(tally, startedAt) {
  const minutes = (performance.now() - startedAt) / 60_000;
  const unexpected = Object.values(tally.unexpected).reduce((sum, count) => sum + count, 0);
  return `${minutes.toFixed(1)} min: ${tally.requests} requests (${Math.round(tally.requests / (minutes * 60))}/s), ${unexpected} unexpected`;
}
