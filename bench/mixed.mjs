// npm run bench:mixed [-- --seconds <n>] [--writers <n>]: issue 15's mixed run. Two instances of
// ours with the response cache on, sharing it in Redis, over the bench's dataset; one loop per
// writer (a signed-up account of its own) sends 90 % reads (the bench's four operations, and the
// checks of its writes) and 10 % writes (createPost, createComment, likePost, unlikePost,
// followUser, unfollowUser: lib/mixed-writes.mjs). Reports req/s, p50/p99 latency, the cache's hit
// rate from the X-Cache headers, and read-your-writes across instances: after each write's
// response, a read on the OTHER instance must show it (violations: must be 0). The writers are
// deleted afterwards with all they wrote, and the row counts must be what they were.
// Writes bench/out/mixed.json; exits 1 on any violation.
//
// env: BENCH_DATABASE_URL (@default postgres://postgres@127.0.0.1:5432/social_bench),
// BENCH_REDIS_URL (@default redis://127.0.0.1:6379).
// Only node: built-ins are imported statically: bench/node_modules may not exist yet.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installDependencies } from './lib/dependencies.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/social_bench';
const OUT_FILE = path.join(BENCH_DIR, 'out', 'mixed.json');
/** @default 5 s of the same load before the measured part: JIT, pools, plans, a filled cache. */
const WARMUP_MS = 5000;

const USAGE = `usage: npm run bench:mixed [-- [--seconds <n>] [--writers <n>]]
  --seconds <n>  measure for n seconds after a 5 s warm-up (default 30)
  --writers <n>  this many loops at once, each a writer of its own (default 16, the bench's connections)
env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/social_bench),
     BENCH_REDIS_URL (default redis://127.0.0.1:6379)
`;

async function main() {
  const { seconds, writerCount } = readFlags();
  const say = (line) => process.stderr.write(`bench:mixed: ${line}\n`);
  installDependencies(say);
  const { DATASET } = await import('./lib/dataset.mjs');
  const { REDIS_PREFIX, serverSpec, startServer } = await import('./lib/servers.mjs');
  const { OPERATION_NAMES, buildRequests, logIn, readFixtures } = await import('./lib/operations.mjs');
  const { createWriters } = await import('./lib/mixed-writes.mjs');
  const { finishWriteRun, prepareWriteRun } = await import('./lib/write-run.mjs');
  const { runMixed, summarizeMixed } = await import('./lib/mixed-load.mjs');
  const { describeMachine, writeReport } = await import('./lib/report.mjs');

  const rowsBefore = await prepareWriteRun(DATABASE_URL, say);

  const spec = { ...serverSpec('cached'), operations: null }; // every read operation
  const instances = [];
  let summary;
  try {
    for (const name of ['cached A', 'cached B']) instances.push(await startServer(name, DATABASE_URL, spec));
    say(`instances: ${instances.map((s) => `${s.name} (pid ${s.pid})`).join(', ')}, one Redis (prefix ${REDIS_PREFIX})`);
    const fixtures = await readFixtures(DATABASE_URL);
    const token = await logIn(instances[0].url, fixtures.viewerEmail);
    const requests = await buildRequests(instances, fixtures, token, OPERATION_NAMES);
    const reads = OPERATION_NAMES.map((operation) => ({ operation, at: instances.map((s) => requests[operation][s.name]) }));
    const writers = await createWriters(instances[0].url, writerCount, REDIS_PREFIX.replace(/\W/g, ''));
    say(`${writerCount} writers, ${WARMUP_MS / 1000} s warm-up, ${seconds} s measured`);
    const stats = await runMixed({
      instances,
      writers,
      targets: { postId: fixtures.postId, userId: fixtures.userId },
      reads,
      warmupMs: WARMUP_MS,
      durationMs: seconds * 1000,
    });
    summary = summarizeMixed(stats);
    const settings = { seconds, warmupSeconds: WARMUP_MS / 1000, writers: writerCount, instances: instances.length };
    writeReport(OUT_FILE, { machine: describeMachine(), date: new Date().toISOString(), dataset: DATASET, settings, ...summary });
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    await finishWriteRun(DATABASE_URL, rowsBefore, say);
  }
  process.stdout.write(`${formatSummary(summary)}\n`);
  say(`wrote ${path.relative(process.cwd(), OUT_FILE)}`);
  if (summary.violations > 0) {
    say(`${summary.violations} reads after a write did not show it: ${JSON.stringify(summary.violationExamples.slice(0, 3))}`);
    process.exitCode = 1;
  }
}

function formatSummary(s) {
  const rate = (value) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)} %`);
  return [
    '| requests | req/s | writes | p50 ms (reads / writes) | p99 ms (reads / writes) | hit rate: all reads | readers | checks | checks made | violations |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${s.requests} | ${s.rps} | ${rate(s.writeShare)} | ${s.latencyMs.all.p50} (${s.latencyMs.read.p50} / ${s.latencyMs.write.p50}) | ` +
      `${s.latencyMs.all.p99} (${s.latencyMs.read.p99} / ${s.latencyMs.write.p99}) | ${rate(s.hitRate.reads)} | ${rate(s.hitRate.readers)} | ` +
      `${rate(s.hitRate.checks)} | ${s.checks} | ${s.violations} |`,
    '',
    `| hit rate by read | ${Object.keys(s.hitRate.byOperation).join(' | ')} |`,
    `| --- |${' ---: |'.repeat(Object.keys(s.hitRate.byOperation).length)}`,
    `| readers | ${Object.values(s.hitRate.byOperation).map(rate).join(' | ')} |`,
  ].join('\n');
}

function readFlags() {
  let values;
  try {
    ({ values } = parseArgs({ options: { seconds: { type: 'string' }, writers: { type: 'string' }, help: { type: 'boolean' } } }));
  } catch (error) {
    fail(error.message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const whole = (flag, value, fallback, max) => {
    if (value === undefined) return fallback;
    const number = Number(value);
    if (!(Number.isInteger(number) && number >= 1 && number <= max)) fail(`--${flag} takes a whole number from 1 to ${max}, not ${value}`);
    return number;
  };
  return { seconds: whole('seconds', values.seconds, 30, 600), writerCount: whole('writers', values.writers, 16, 64) };
}

function fail(message) {
  process.stderr.write(`bench:mixed: ${message}\n${USAGE}`);
  process.exit(2);
}

main().catch((error) => {
  process.stderr.write(`bench:mixed failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
