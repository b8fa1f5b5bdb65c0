// npm run bench:subscriptions [-- --subscribers 2000 --viewers 200]: the fan-out bench of issue 7.
// Needs DATABASE_URL (a Postgres where it may create and drop a database of its own); with
// REDIS_URL it also runs two instances over Redis.
//
// One instance: N graphql-ws clients subscribe to postCreated (V of them signed in as distinct
// users, so that viewer fields are per viewer), then one post is created. Reported: the time from
// the mutation's response to the event's arrival at each subscriber (p50/p99/max; the clients
// all run in this one process, so their own parsing is part of it), the SQL statements the
// server spent on the fan-out (counted at the pg driver, minus what the mutation costs alone),
// and the server's RSS per connection. Two instances: the same with the subscribers split
// between A and B over one Redis and the post written through A.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installDependencies } from './lib/dependencies.mjs';
import { freePort, JWT_SECRET } from './lib/servers.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT_DIR = path.dirname(BENCH_DIR);
const COUNTER = path.join(BENCH_DIR, 'count-statements.mjs');
const SELECTION = `subscription { postCreated { id title createdAt author { id name } likesCount commentsCount viewerHasLiked } }`;
/** @default 60000 ms for every subscriber to be live, and for the measured event to reach all. */
const DEADLINE_MS = 60_000;

const USAGE = `usage: DATABASE_URL=postgres://… [REDIS_URL=redis://…] npm run bench:subscriptions [-- --subscribers N --viewers V]\n`;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { DATABASE_URL, REDIS_URL } = process.env;
  if (!DATABASE_URL || args.help) {
    process.stderr.write(USAGE);
    process.exit(args.help ? 0 : 2);
  }
  const say = (line) => process.stderr.write(`bench: ${line}\n`);
  installDependencies(say);
  const { withClient } = await import('./lib/dataset.mjs');

  const name = `bench_subscriptions_${randomBytes(4).toString('hex')}`;
  await withClient(DATABASE_URL, (admin) => admin.query(`create database ${name}`));
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  const results = [];
  try {
    say(`one instance, ${args.subscribers} subscribers (${args.viewers} signed in)`);
    results.push(
      await scenario({ label: 'one instance (in-process pub/sub)', databaseUrl: url.href, instances: 1, redisUrl: null, ...args, say }),
    );
    if (REDIS_URL) {
      say(`two instances over Redis, ${args.subscribers} subscribers split between them`);
      results.push(
        await scenario({ label: 'two instances over Redis', databaseUrl: url.href, instances: 2, redisUrl: REDIS_URL, ...args, say }),
      );
    } else {
      say('REDIS_URL unset: the two-instance run is skipped');
    }
  } finally {
    await withClient(DATABASE_URL, (admin) => admin.query(`drop database if exists ${name} with (force)`));
  }
  const report = formatReport(results, args);
  process.stdout.write(report);
  writeFileSync(path.join(BENCH_DIR, 'SUBSCRIPTIONS.md'), report);
  say('written to bench/SUBSCRIPTIONS.md');
}

/** One run: start the servers, subscribe everyone, create one post, measure. */
async function scenario({ label, databaseUrl, instances, redisUrl, subscribers, viewers, say }) {
  const { createClient } = await import('graphql-ws');
  const WebSocket = (await import('ws')).default;
  const env = {
    DATABASE_URL: databaseUrl,
    JWT_SECRET,
    REDIS_URL: redisUrl ?? '',
    REDIS_PREFIX: `bench-${randomBytes(4).toString('hex')}:`,
    // Every client of the bench is one address: lift the per-address and per-identity limits.
    WS_MAX_CONNECTIONS_PER_ADDRESS: String(subscribers + 100),
    RATE_LIMIT_POINTS: '1000000000',
    LOG_LEVEL: 'warn',
  };
  const servers = [];
  const clients = [];
  try {
    for (let i = 0; i < instances; i++) servers.push(await startServer(env, i));
    const { author, tokens } = await seedUsers(databaseUrl, viewers);
    const createPost = async (server, title) => {
      const sentAt = performance.now();
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${author}` },
        body: JSON.stringify({
          query: `mutation($title: String!) { createPost(input: { title: $title, content: "Bench." }) { id } }`,
          variables: { title },
        }),
      });
      const body = await response.json();
      if (!body.data?.createPost) throw new Error(`createPost failed: ${JSON.stringify(body)}`);
      return { sentAt, answeredAt: performance.now() };
    };

    // What the mutation costs alone, while nobody listens.
    const before = await servers[0].statementCount();
    await createPost(servers[0], 'alone');
    const mutationStatements = (await servers[0].statementCount()) - before;
    const rssBefore = servers.map((server) => server.rssKb());

    // Subscribers: round robin over the instances; the first `viewers` signed in.
    const subs = [];
    for (let i = 0; i < subscribers; i++) {
      const server = servers[i % servers.length];
      const arrivals = new Map();
      const client = createClient({
        url: server.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        lazy: false,
        // As a front-end would: a refused connection (1013, the database slow to check a token
        // during the connection burst) is retried with graphql-ws's backoff, and resubscribes.
        retryAttempts: 5,
        connectionParams: i < viewers ? { authorization: `Bearer ${tokens[i]}` } : {},
        onNonLazyError: (error) => say(`client ${i}: ${error?.message ?? error?.code ?? error}`),
      });
      clients.push(client);
      client.subscribe(
        { query: SELECTION },
        {
          next: (result) => {
            const title = result.data?.postCreated?.title;
            if (title && !arrivals.has(title)) arrivals.set(title, performance.now());
          },
          error: (error) => say(`subscription ${i} failed: ${JSON.stringify(error)}`),
          complete: () => undefined,
        },
      );
      subs.push({ server: server.index, arrivals });
    }

    // Live: probes through A until every subscriber has seen one, then one last probe seen by all,
    // so that no earlier fan-out is still under way when the measured post goes out.
    const deadline = Date.now() + DEADLINE_MS;
    for (let n = 1; ; n++) {
      await createPost(servers[0], `probe ${n}`);
      if (
        await waitUntil(
          () => subs.every((sub) => [...sub.arrivals.keys()].some((t) => t.startsWith('probe'))),
          Math.min(500 * n, deadline - Date.now()),
        )
      )
        break;
      if (Date.now() > deadline) throw new Error('not every subscriber was live in time');
    }
    await createPost(servers[0], 'probe last');
    if (!(await waitUntil(() => subs.every((sub) => sub.arrivals.has('probe last')), DEADLINE_MS)))
      throw new Error('the last probe did not reach everyone');
    const rssAfter = servers.map((server) => server.rssKb());
    say(`${subscribers} subscribers live; creating the measured post`);

    const counts = await Promise.all(servers.map((server) => server.statementCount()));
    const { sentAt, answeredAt } = await createPost(servers[0], 'measured');
    if (!(await waitUntil(() => subs.every((sub) => sub.arrivals.has('measured')), DEADLINE_MS)))
      throw new Error('the measured event did not reach everyone in time');
    const after = await Promise.all(servers.map((server) => server.statementCount()));

    const perServer = servers.map((server, index) => {
      const own = subs.filter((sub) => sub.server === index);
      const fromResponse = own.map((sub) => sub.arrivals.get('measured') - answeredAt).sort((a, b) => a - b);
      const fromRequest = own.map((sub) => sub.arrivals.get('measured') - sentAt).sort((a, b) => a - b);
      return {
        instance: String.fromCharCode(65 + index),
        subscribers: own.length,
        fromResponse: { p50: pct(fromResponse, 50), p99: pct(fromResponse, 99), max: fromResponse.at(-1) },
        fromRequest: { p50: pct(fromRequest, 50), p99: pct(fromRequest, 99), max: fromRequest.at(-1) },
        fanOutStatements: after[index] - counts[index] - (index === 0 ? mutationStatements : 0),
        rssPerConnectionKb: (rssAfter[index] - rssBefore[index]) / own.length,
      };
    });
    return { label, mutationStatements, mutationMs: answeredAt - sentAt, perServer };
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
    await Promise.all(servers.map((server) => server.stop()));
  }
}

/** The author (whose token writes the posts) and `viewers` users with tokens, inserted directly. */
async function seedUsers(databaseUrl, viewers) {
  const { signToken: sign } = await import('./lib/tokens.mjs');
  const { withClient } = await import('./lib/dataset.mjs');
  const run = randomBytes(3).toString('hex');
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query(
      `insert into users (name, email, password_hash)
       select 'Bench ' || n, 'bench-' || $1 || '-' || n || '@example.com', 'not-a-password-hash' from generate_series(0, $2) as n
       returning id`,
      [run, viewers],
    );
    const ids = rows.map((row) => row.id);
    return { author: await sign(ids[0]), tokens: await Promise.all(ids.slice(1).map((id) => sign(id))) };
  });
}

/** Our server (src/main.ts), with the statement counter preloaded as bench/run.mjs does. */
async function startServer(env, index) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', COUNTER, '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT_DIR,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output}`);
    const ok = await fetch(url.replace('/graphql', '/health')).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    index,
    url,
    statementCount: () =>
      new Promise((resolve) => {
        child.once('message', (message) => resolve(message.statementCount));
        child.send('statement-count');
      }),
    rssKb: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

async function waitUntil(condition, timeoutMs) {
  const deadline = Date.now() + Math.max(0, timeoutMs);
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (value) => `${value.toFixed(1)} ms`;

function formatReport(results, { subscribers, viewers }) {
  const lines = [
    '# Subscription fan-out (issue 7)',
    '',
    `${subscribers} graphql-ws subscribers to \`postCreated\` (${viewers} signed in as distinct users, the rest anonymous), one post created.`,
    `Selection: \`${SELECTION}\``,
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`,
    "Latency is from the moment the mutation's response reached the client to the event's arrival at each subscriber (negative: the event came first),",
    "all clients in one process (their own parsing counts). Statements: SQL sent by each server for the fan-out, the mutation's own excluded.",
    '',
    '| run | instance | subscribers | p50 | p99 | max | p50 / p99 from the request | fan-out statements | RSS per connection |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const result of results) {
    for (const s of result.perServer) {
      lines.push(
        `| ${result.label} | ${s.instance} | ${s.subscribers} | ${ms(s.fromResponse.p50)} | ${ms(s.fromResponse.p99)} | ${ms(s.fromResponse.max)} | ${ms(s.fromRequest.p50)} / ${ms(s.fromRequest.p99)} | ${s.fanOutStatements} | ${s.rssPerConnectionKb.toFixed(1)} KiB |`,
      );
    }
  }
  lines.push(
    '',
    `The mutation alone: ${results[0]?.mutationStatements} statements. Fan-out statements: the post, its author, the two counts, and the`,
    'likes of all signed-in viewers in one statement; the same on each instance over Redis (each reads the event once for its own subscribers).',
    "RSS per connection is the growth of the server's RSS over the subscribers, heap not yet collected included: a bare graphql-ws",
    "connection is about 10 KiB; the rest is the subscription (its context with its loaders, graphql-js's subscription state, its queue).",
    '',
  );
  return `${lines.join('\n')}\n`;
}

function parseArgs(argv) {
  const args = { subscribers: 2000, viewers: 200, help: argv.includes('--help') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--subscribers') args.subscribers = Number(argv[++i]);
    else if (argv[i] === '--viewers') args.viewers = Number(argv[++i]);
  }
  if (!(args.subscribers > 0) || !(args.viewers >= 0) || args.viewers > args.subscribers) args.help = true;
  return args;
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.stack ?? error}\n`);
  process.exit(1);
});
