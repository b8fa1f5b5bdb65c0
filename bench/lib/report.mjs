// The figures of a run: the medians as issue 5's JSON shape, and the table printed from them.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from './load.mjs';

export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** { <op>: { <server>: { rps, p50Ms, p99Ms, statementsPerRequest, rssMb } } }, medians over rounds. */
export function summarize(samples, statements) {
  const round1 = (value) => Math.round(value * 10) / 10;
  return Object.fromEntries(
    Object.entries(samples).map(([operation, byServer]) => [
      operation,
      Object.fromEntries(
        Object.entries(byServer).map(([server, runs]) => [
          server,
          {
            rps: Math.round(median(runs.map((r) => r.rps))),
            p50Ms: round1(median(runs.map((r) => r.p50Ms))),
            p99Ms: round1(median(runs.map((r) => r.p99Ms))),
            statementsPerRequest: round1(statements[operation][server]),
            rssMb: Math.round(Math.max(...runs.map((r) => r.rssMb))),
          },
        ]),
      ),
    ]),
  );
}

export function writeReport(file, report) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/**
 * { <op>: { <server>: ours' req/s ÷ that server's } } for every server but ours, to two places
 * (null where the server answered nothing): how far ours is from raw, the floor, postgraphile,
 * naive, and in an A/B from the baseline.
 */
export function ratiosToOurs(operations) {
  return Object.fromEntries(
    Object.entries(operations).map(([operation, byServer]) => [
      operation,
      Object.fromEntries(
        Object.entries(byServer)
          .filter(([server]) => server !== 'ours' && byServer.ours)
          .map(([server, f]) => [server, f.rps > 0 ? Math.round((byServer.ours.rps / f.rps) * 100) / 100 : null]),
      ),
    ]),
  );
}

const showRatio = (ratio) => (ratio === undefined ? '' : ratio === null ? 'n/a (0 req/s)' : `${ratio.toFixed(2)}×`);

/** A markdown table (it reads as well in a terminal): one row per operation and server, with ratios to ours. */
export function formatTable(operations) {
  const ratios = ratiosToOurs(operations);
  const lines = [
    '| operation | server | req/s | p50 ms | p99 ms | statements/req | peak RSS MiB | ours ÷ this (req/s) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [operation, byServer] of Object.entries(operations)) {
    for (const [server, f] of Object.entries(byServer)) {
      const ratio = showRatio(ratios[operation][server]);
      lines.push(`| ${operation} | ${server} | ${f.rps} | ${f.p50Ms} | ${f.p99Ms} | ${f.statementsPerRequest} | ${f.rssMb} | ${ratio} |`);
    }
  }
  return lines.join('\n');
}

/**
 * The same ratios, one row per operation and one column per server: ours ÷ floor, ÷ raw… at a
 * glance; '' when ours ran alone.
 */
export function formatRatios(operations) {
  const ratios = ratiosToOurs(operations);
  const servers = [...new Set(Object.values(ratios).flatMap(Object.keys))];
  if (servers.length === 0) return '';
  const lines = [
    `| operation | ${servers.map((server) => `ours ÷ ${server}`).join(' | ')} |`,
    `| --- |${' ---: |'.repeat(servers.length)}`,
  ];
  for (const [operation, byServer] of Object.entries(ratios)) {
    lines.push(`| ${operation} | ${servers.map((server) => showRatio(byServer[server])).join(' | ')} |`);
  }
  return lines.join('\n');
}
