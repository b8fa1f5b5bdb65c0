// npm run bench:soak -- --minutes <n> [--loops <n>]: the soak. One process of ours (dist/main.js)
// over the bench's dataset, with Redis, metrics and the response cache on, under a mixed load for
// n minutes: reads, writes, churning WebSocket and SSE subscribers and 2 % hostile requests
// (lib/soak-loops.mjs, lib/soak-streams.mjs). GET /metrics every 5 s (lib/soak-scrape.mjs).
// Writes the raw series to bench/results/soak-<timestamp>.json, then bench/SOAK.md,
// bench/soak-chart.svg and bench/dashboard.svg (the Grafana dashboard drawn from the same run).
// Ctrl-C ends the load early: the server is stopped and the writers deleted; the raw series is
// kept, the reports are not rewritten from a cut-short run. --from <raw series> rewrites the
// reports from a run kept, without running anything.
//
// env: BENCH_DATABASE_URL (@default postgres://postgres@127.0.0.1:5432/social_bench),
// BENCH_REDIS_URL (@default redis://127.0.0.1:6379).
// Only node: built-ins are imported statically: bench/node_modules may not exist yet.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installDependencies } from './lib/dependencies.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/social_bench';
const RESULTS_DIR = path.join(BENCH_DIR, 'results');
const REPORT_FILE = path.join(BENCH_DIR, 'SOAK.md');
const CHART_FILE = path.join(BENCH_DIR, 'soak-chart.svg');
/** The stream side of the load; the HTTP side is --loops. */
const STREAMS = { webSockets: 50, sseStreams: 10, churnPerMinute: 10 };
const SCRAPE_SECONDS = 5;
/** @default 3 s after the last client left before the last scrape: the server has seen every close by then. */
const SETTLE_SECONDS = 3;

const USAGE = `usage: npm run bench:soak -- [--minutes <n>] [--loops <n>] | --from <raw series>
  --minutes <n>  how long the load runs, decimals allowed (default 20; 0.5 for a quick check)
  --loops <n>    HTTP clients at once, each one request at a time (default 12)
  --from <file>  no run: rewrite SOAK.md and both pictures from a run's raw series (bench/results/soak-….json)
env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/social_bench),
     BENCH_REDIS_URL (default redis://127.0.0.1:6379)
`;

async function main() {
  const { minutes, loops, from } = readFlags();
  const say = (line) => process.stderr.write(`bench:soak: ${line}\n`);
  installDependencies(say);
  if (from) return writeReports(JSON.parse(readFileSync(from, 'utf8')), say);
  const { DATASET } = await import('./lib/dataset.mjs');
  const { POOL_SIZE } = await import('./lib/servers.mjs');
  const { finishWriteRun, prepareWriteRun } = await import('./lib/write-run.mjs');
  const { startSoakServer, runSoak } = await import('./lib/soak-run.mjs');

  const rowsBefore = await prepareWriteRun(DATABASE_URL, say);

  const interruption = { isInterrupted: false };
  const server = await startSoakServer(DATABASE_URL);
  stopServerOnSignals(server, interruption, say);
  let run;
  try {
    say(
      `server pid ${server.pid}; ${minutes} min of load: ${loops} loops, ${STREAMS.webSockets} WebSockets, ${STREAMS.sseStreams} SSE streams`,
    );
    run = await runSoak({
      server,
      databaseUrl: DATABASE_URL,
      minutes,
      loops,
      streams: STREAMS,
      scrapeSeconds: SCRAPE_SECONDS,
      settleSeconds: SETTLE_SECONDS,
      interruption,
      say,
    });
  } finally {
    await server.stop();
    await finishWriteRun(DATABASE_URL, rowsBefore, say);
  }
  Object.assign(run, { dataset: DATASET, settings: { ...run.settings, poolSize: POOL_SIZE } });
  await writeOutputs(run, interruption, say);
}

async function writeOutputs(run, interruption, say) {
  const rawFile = path.join(RESULTS_DIR, `soak-${run.date.replace(/[:.]/g, '-')}.json`);
  // Compact: a 20-minute run keeps some 240 scrapes of every histogram the dashboard reads.
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(rawFile, JSON.stringify(run));
  say(`raw series: ${path.relative(process.cwd(), rawFile)}`);
  if (interruption.isInterrupted) {
    say('interrupted: SOAK.md and the charts are left as they were');
    process.exitCode = 130;
    return;
  }
  await writeReports(run, say);
}

async function writeReports(run, say) {
  const { summarize } = await import('./lib/soak-summary.mjs');
  const { formatSoakReport } = await import('./lib/soak-report.mjs');
  const { writeSoakChart } = await import('./lib/soak-chart.mjs');
  const { DASHBOARD_PICTURE, writeDashboard } = await import('./lib/dashboard-render.mjs');
  const summary = summarize(run);
  writeFileSync(REPORT_FILE, formatSoakReport(run, summary));
  writeSoakChart(run, summary, CHART_FILE);
  writeDashboard(run);
  const relative = (file) => path.relative(process.cwd(), file);
  say(`wrote ${relative(REPORT_FILE)}, ${relative(CHART_FILE)} and ${relative(DASHBOARD_PICTURE)}`);
  say(
    `${summary.requests.total} requests (${summary.requests.perSecond}/s), ${summary.requests.unexpected} unexpected; ` +
      `RSS ${summary.memory.map((m) => `${m.label} ${m.rssMib}`).join(', ')} MiB; slope ${summary.rssSlopeMibPerMinute} MiB/min: ${summary.verdict}`,
  );
  if (summary.requests.unexpected > 0) process.exitCode = 1;
}

/**
 * Ctrl-C (or SIGTERM) once: end the load early, the normal way out (server stopped, writers
 * deleted). Twice: leave at once. Whatever the way out, the server never outlives the soak.
 */
function stopServerOnSignals(server, interruption, say) {
  const onSignal = (signal) => {
    if (interruption.isInterrupted) process.exit(130);
    interruption.isInterrupted = true;
    say(`${signal}: ending the load early (again to quit at once)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => server.kill());
}

function readFlags() {
  let values;
  try {
    ({ values } = parseArgs({
      options: { minutes: { type: 'string' }, loops: { type: 'string' }, from: { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    fail(error.message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const minutes = values.minutes === undefined ? 20 : Number(values.minutes);
  if (!(Number.isFinite(minutes) && minutes >= 0.1 && minutes <= 24 * 60))
    fail(`--minutes takes a number from 0.1 to 1440, not ${values.minutes}`);
  const loops = values.loops === undefined ? 12 : Number(values.loops);
  if (!(Number.isInteger(loops) && loops >= 1 && loops <= 64)) fail(`--loops takes a whole number from 1 to 64, not ${values.loops}`);
  return { minutes, loops, from: values.from };
}

function fail(message) {
  process.stderr.write(`bench:soak: ${message}\n${USAGE}`);
  process.exit(2);
}

main().catch((error) => {
  process.stderr.write(`bench:soak failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
