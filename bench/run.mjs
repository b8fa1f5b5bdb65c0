// npm run bench [-- --quick] [--baseline <git-rev>] [--only <servers>] [--operations <ops>] [--rounds <n>]: the
// side-by-side benchmark of issues 5, 13 and 15. Seeds (once) the bench's own database, starts
// ours, naive, raw, floor and postgraphile (and ours built from <git-rev> as `baseline`), and ours
// with its response cache on (`cached`, in Redis; `cached-memory`), checks that they answer alike,
// loads each with every operation (the REST rows: ours' builds only; the cached servers: deep-page
// and node only), prints the tables and writes bench/out/latest.json and bench/out/chart.svg.
//
// env: BENCH_DATABASE_URL (@default postgres://postgres@127.0.0.1:5432/social_bench),
// BENCH_REDIS_URL (@default redis://127.0.0.1:6379, the `cached` server's).
// Only node: built-ins are imported statically: bench/node_modules may not exist yet.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBaseline } from './lib/baseline.mjs';
import { installDependencies } from './lib/dependencies.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/social_bench';
const OUT_FILE = path.join(BENCH_DIR, 'out', 'latest.json');
const CHART_FILE = path.join(BENCH_DIR, 'out', 'chart.svg');

const USAGE = `usage: npm run bench [-- [--quick] [--baseline <git-rev>] [--only <server,…>] [--operations <op,…>] [--rounds <n>]]
  --quick            one short round of each operation on each server (under 3 minutes once seeded)
  --baseline <rev>   also run ours as built from that git revision, as the server \`baseline\`:
                     an A/B of two builds in one run (the report shows ours ÷ baseline)
  --rounds <n>       this many rounds instead of the plan's (alternating order; medians): an A/B
                     of small differences needs several, e.g. --quick --rounds 5
  --only <servers>   run only these, comma-separated, ours among them (every ratio is to ours):
                     ours, naive, raw, floor, postgraphile, baseline (with --baseline), and ours
                     with its response cache on: cached (in Redis), cached-memory (in the process),
                     on deep-page and node only, each also as a ratio to raw; and, only when
                     named here, ours-no-metrics (METRICS=false: what the metrics cost)
  --operations <ops> run only these operations, comma-separated: feed, profile, deep-page, node,
                     and the REST rows (ours and baseline only): post, rest-post, posts, rest-posts
  e.g. an A/B in about a minute: npm run bench -- --quick --baseline HEAD~1 --only ours,baseline
       the response cache against raw: npm run bench -- --only ours,raw,cached --operations deep-page,node
env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/social_bench),
     BENCH_REDIS_URL (default redis://127.0.0.1:6379)
`;

async function main() {
  const { isQuick, baselineRev, only, operations: onlyOperations, rounds } = readFlags();
  const startedAt = Date.now();
  const say = (line) => process.stderr.write(`bench: ${line}\n`);

  installDependencies(say);
  const { DATASET, ensureDataset } = await import('./lib/dataset.mjs');
  const { POOL_SIZE, REDIS_PREFIX, REDIS_URL, baselineServer, selectServers, startServer } = await import('./lib/servers.mjs');
  const { ALL_OPERATION_NAMES, buildRequests, checkServers, logIn, readFixtures } = await import('./lib/operations.mjs');
  const { formatRestTable, restVersusGraphQL } = await import('./lib/rest-operations.mjs');
  const { CONNECTIONS, PLANS, runRounds } = await import('./lib/load.mjs');
  const { describeMachine, formatRatios, formatTable, ratiosToOurs, summarize, writeReport } = await import('./lib/report.mjs');
  const { writeChart } = await import('./lib/chart.mjs');
  const { cachedToRaw, checkCachedAnswers, flushPrefix, formatCachedTable } = await import('./lib/cached.mjs');

  const names = selectServers({ hasBaseline: Boolean(baselineRev), only });
  if (typeof names === 'string') fail(names);
  const unknownOperations = onlyOperations?.filter((operation) => !ALL_OPERATION_NAMES.includes(operation)) ?? [];
  if (unknownOperations.length > 0) fail(`--operations: no operation ${unknownOperations.join(', ')} (${ALL_OPERATION_NAMES.join(', ')})`);

  // ours and naive run what `npm start` runs: the bundle in dist/.
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: path.dirname(BENCH_DIR), stdio: 'inherit' });
  const baseline = baselineRev ? buildBaseline(baselineRev, say) : null;
  // The temporary tree must not outlive the run: removed in `finally`, or here on Ctrl-C.
  process.once('SIGINT', () => {
    baseline?.remove();
    process.exit(130);
  });
  const servers = [];
  const usesRedis = names.includes('cached');
  try {
    if (usesRedis) await flushPrefix(REDIS_URL, REDIS_PREFIX);
    say(`dataset in ${redact(DATABASE_URL)}`);
    const seeded = await ensureDataset(DATABASE_URL);
    say(seeded ? `seeded in ${seconds(startedAt)} s` : 'dataset already seeded: skipping the seed');

    for (const name of names) {
      servers.push(await startServer(name, DATABASE_URL, name === 'baseline' ? baselineServer(baseline.rootDir) : undefined));
    }
    say(`servers: ${servers.map((s) => `${s.name} (pid ${s.pid})`).join(', ')}`);
    const fixtures = await readFixtures(DATABASE_URL);
    // Ours signs the viewer in; every server gets the token (raw, floor and postgraphile verify it).
    const requests = await buildRequests(servers, fixtures, await logIn(servers[0].url, fixtures.viewerEmail), onlyOperations);
    const statements = await checkServers(servers, requests);
    await checkCachedAnswers(servers, requests, statements);
    say('every server answers every operation with the same data; the cached ones from their cache');

    const plan = { ...(isQuick ? PLANS.quick : PLANS.full), ...(rounds ? { rounds } : {}) };
    say(
      `${plan.rounds} round(s) × ${Object.keys(requests).length} operations × ${servers.length} servers, ${plan.durationSeconds} s each, ${CONNECTIONS} connections`,
    );
    const samples = await runRounds(servers, requests, plan, (s) =>
      say(
        `round ${s.round + 1} ${s.operation} ${s.server}: ${Math.round(s.rps)} req/s, p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, peak RSS ${Math.round(s.rssMb)} MiB`,
      ),
    );

    const operations = summarize(samples, statements);
    const report = {
      machine: describeMachine(),
      date: new Date().toISOString(),
      dataset: { ...DATASET, ...fixtures },
      settings: {
        quick: isQuick,
        ...plan,
        connections: CONNECTIONS,
        poolSize: POOL_SIZE,
        processesPerServer: 1,
        servers: names,
        operations: Object.keys(requests),
      },
      ...(baseline ? { baseline: { rev: baseline.rev, commit: baseline.commit } } : {}),
      operations,
      ratiosToOurs: ratiosToOurs(operations),
      restToGraphQL: restVersusGraphQL(operations),
      cachedToRaw: cachedToRaw(operations),
    };
    writeReport(OUT_FILE, report);
    writeChart(report, CHART_FILE);
    const tables = [
      formatTable(operations),
      formatRatios(operations),
      formatRestTable(report.restToGraphQL),
      formatCachedTable(report.cachedToRaw),
    ];
    process.stdout.write(`${tables.filter(Boolean).join('\n\n')}\n`);
    say(`wrote ${path.relative(process.cwd(), OUT_FILE)} and ${path.relative(process.cwd(), CHART_FILE)} in ${seconds(startedAt)} s`);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    baseline?.remove();
    if (usesRedis) await flushPrefix(REDIS_URL, REDIS_PREFIX);
  }
}

function readFlags() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: 'boolean' },
        baseline: { type: 'string' },
        only: { type: 'string' },
        operations: { type: 'string' },
        rounds: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail(error.message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const list = (value) => value?.split(',').map((name) => name.trim());
  const only = list(values.only);
  const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds >= 1 && rounds <= 50))
    fail(`--rounds takes a whole number from 1 to 50, not ${values.rounds}`);
  return { isQuick: values.quick ?? false, baselineRev: values.baseline, only, operations: list(values.operations), rounds };
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

const seconds = (since) => ((Date.now() - since) / 1000).toFixed(0);
const redact = (url) => url.replace(/\/\/[^@/]*:[^@/]*@/, '//***@');

main().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
