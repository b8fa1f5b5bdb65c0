// bench/SOAK.md, written by every soak run from its own figures (lib/soak-summary.mjs): what ran,
// the chart, memory over time and whether it levels off, and what became of every request.
import { LEVELS_OFF_MIB_PER_MINUTE, SHORTEST_VERDICT_MINUTES } from './soak-summary.mjs';

export function formatSoakReport(run, summary) {
  const { settings, machine, dataset } = run;
  const posts = dataset.users * dataset.postsPerUser;
  const r = summary.requests;
  const share = (part) => `${((part / Math.max(1, r.total)) * 100).toFixed(2)} %`;
  const last = run.scrapes.at(-1);
  const published = sumSamples(last, 'subscription_events_published_total');
  const delivered = sumSamples(last, 'subscription_events_delivered_total');
  return [
    '# Soak run',
    '',
    `Written by \`npm run bench:soak -- --minutes ${run.minutes}\` on ${run.date.slice(0, 16).replace('T', ' ')}Z; every run rewrites it (and [soak-chart.svg](soak-chart.svg), [dashboard.svg](dashboard.svg)).`,
    '',
    '## What ran',
    '',
    `- **Machine:** ${machine.cpus} × ${machine.model}, ${Math.round(machine.memoryMb / 1024)} GiB, Node ${machine.node}; the load, the server, Postgres and Redis share it ` +
      `(1-minute load average ${run.loadAverage.start} at the start, ${run.loadAverage.end} at the end: more than the cores means other work took its share too).`,
    `- **Server:** one process of \`dist/main.js\` on Postgres (pool ${settings.poolSize}) and Redis (rate limits, pub/sub, response cache), ` +
      `${Object.entries(settings.serverEnv)
        .map(([name, value]) => `\`${name}=${value}\``)
        .join(
          ', ',
        )}; every other setting at its default (MAX_DEPTH 10, MAX_COST 1000, RATE_LIMIT_POINTS 10,000 per 60 s, response cache on for 5 s).`,
    `- **Dataset:** the bench's: ${thousands(dataset.users)} users, ${thousands(posts)} posts, ${thousands(posts * dataset.commentsPerPost)} comments, ` +
      `${thousands(dataset.users * dataset.followsPerUser)} follows, ${thousands(posts * dataset.likesPerPost)} likes (seed ${dataset.seed}).`,
    `- **Load:** ${run.minutes} min, ${settings.loops} loops of one request at a time. Each cycle: a write (as one of ${settings.writers} signed-up writers: ` +
      `likePost, createPost, followUser, createComment, unlikePost, unfollowUser, a comment on the hot post), the read that must show it, and eight reads ` +
      `(feed signed in as one of ${settings.feedViewers} users; profile and node of random ids; deep-page; REST \`GET /v1/posts/{id}\` and \`/v1/posts\`), anonymous ones from ${settings.anonymousClients} forwarded addresses. ` +
      `One request in 50 is hostile: ${run.hostileKinds.join(', ')}.`,
    `- **Subscribers:** ${settings.webSockets} graphql-ws clients (half signed in), each subscribed to \`postCreated\` and to \`commentAdded\` on the hot post; ` +
      `${settings.churnPerMinute} a minute replaced, alternately closed cleanly and cut off (socket destroyed, the client reconnecting). ${settings.sseStreams} SSE streams on \`postCreated\`, each closed after 15–45 s and reopened.`,
    `- **Record:** \`GET /metrics\` every ${settings.scrapeSeconds} s; the raw series in \`bench/results/\` (not committed).`,
    '',
    '![RSS and heap, event-loop delay, requests/s and errors over the run](soak-chart.svg)',
    '',
    '## Memory',
    '',
    '| when | RSS MiB | heap used MiB |',
    '| --- | ---: | ---: |',
    ...summary.memory.map((m) => `| ${m.label} | ${m.rssMib} | ${m.heapMib} |`),
    '',
    `RSS slope over the second half of the load: **${summary.rssSlopeMibPerMinute} MiB/min** (heap used: ${summary.heapSlopeMibPerMinute} MiB/min). ` +
      `Verdict: **${summary.verdict}** (levels off: |slope| ≤ ${LEVELS_OFF_MIB_PER_MINUTE} MiB/min; a run shorter than ${SHORTEST_VERDICT_MINUTES} min is too short to tell).`,
    '',
    `Event-loop delay p99 per scrape interval: median ${summary.lagMs.p99Median} ms, worst ${summary.lagMs.p99Max} ms. ` +
      `prom-client samples the delay with a 10 ms timer and its figures include that interval: ` +
      `after the load, idle, p50 read ${ms(run.afterClientsLeft?.lagP50Seconds)} ms. Open file descriptors: ${summary.openFds.start} before the load, ${summary.openFds.end} at its end.`,
    '',
    '## Requests',
    '',
    `${thousands(r.total)} requests, ${r.perSecond} req/s on average` +
      (summary.rateRange
        ? ` (per ${settings.scrapeSeconds} s interval: ${summary.rateRange.min} to ${summary.rateRange.max}, median ${summary.rateRange.median})`
        : '') +
      `. Hostile: ${thousands(r.hostile)} (${share(r.hostile)}).`,
    '',
    '| outcome | requests | share |',
    '| --- | ---: | ---: |',
    `| ok (well-behaved, answered with data) | ${r.ok} | ${share(r.ok)} |`,
    `| refused as they must be (hostile) | ${r.refused} | ${share(r.refused)} |`,
    `| answered, as they may be (hostile: under budget) | ${r.accepted} | ${share(r.accepted)} |`,
    `| **unexpected** | **${r.unexpected}** | ${share(r.unexpected)} |`,
    '',
    '| hostile kind | refused | answered | unexpected |',
    '| --- | ---: | ---: | ---: |',
    ...run.hostileKinds.map((kind) => {
      const counts = run.totals.byOperation[kind] ?? { refused: 0, accepted: 0, unexpected: 0 };
      return `| ${kind} | ${counts.refused} | ${counts.accepted} | ${counts.unexpected} |`;
    }),
    '',
    countList(run.totals.unexpected, 'Unexpected answers and incidents: none.', 'Unexpected answers and incidents, by kind:'),
    '',
    '## Subscriptions',
    '',
    `Events received by the clients: ${run.streams.events.postCreated} postCreated and ${run.streams.events.commentAdded} commentAdded over WebSocket, ${run.streams.events.sse} over SSE. ` +
      `The server counted ${published} published and ${delivered} delivered. Churn: ${run.streams.churned.disposed} clients disposed, ${run.streams.churned.cutOff} cut off, ${run.streams.churned.sse} SSE streams closed.`,
    '',
    `At the end of the load the server held ${count(run.endOfLoad.webSockets)} WebSockets (the clients: ${run.endOfLoad.clientWebSockets} connected) and ` +
      `${count(run.endOfLoad.subscribers)} subscribers; ${run.settleSeconds} s after every client had left: ${count(run.afterClientsLeft.webSockets)} WebSockets and ${count(run.afterClientsLeft.subscribers)} subscribers (0 and 0 when nothing is left behind).`,
    '',
    '## Server',
    '',
    countList(run.serverLog.counts, 'The server logged nothing at warn or above.', 'Lines the server logged at warn or above:'),
    '',
    `Distinct \`operation_name\` labels at most: ${summary.maxOperationNames}. Slowest scrape of /metrics: ${summary.maxScrapeMs} ms.`,
    '',
    '## How to run',
    '',
    '```sh',
    'npm run bench:soak -- --minutes 20     # decimals too: --minutes 0.5 for a quick check',
    'npm run bench:soak -- --from bench/results/soak-<timestamp>.json   # rewrite this file and both pictures from a run kept',
    '```',
    '',
    'Needs Postgres and Redis (`BENCH_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/social_bench, seeded on first use; `BENCH_REDIS_URL`, default redis://127.0.0.1:6379). ' +
      'It builds the server, runs it, deletes the writers and all they wrote afterwards, and writes this file, `bench/soak-chart.svg`, `bench/dashboard.svg` (the Grafana dashboard `ops/grafana-dashboard.json` drawn from the same run) and the raw series in `bench/results/`.',
    '',
  ].join('\n');
}

const ms = (seconds) => (typeof seconds === 'number' ? (seconds * 1000).toFixed(1) : 'n/a');
const thousands = (value) => value.toLocaleString('en');
/** A count from the metrics: a number, the sum of a { label: count } map, or n/a when absent. */
const count = (value) =>
  value === null || value === undefined ? 'n/a' : typeof value === 'object' ? Object.values(value).reduce((a, b) => a + b, 0) : value;

function sumSamples(scrape, name) {
  return (scrape.samples[name] ?? []).reduce((sum, [, value]) => sum + (value ?? 0), 0);
}

/** `counts` ({ what: count }) as a Markdown list under `heading`, or `none` when there are none. */
function countList(counts, none, heading) {
  const entries = Object.entries(counts);
  if (entries.length === 0) return none;
  return [heading, '', ...entries.map(([what, count]) => `- ${what}: ${count}`)].join('\n');
}
