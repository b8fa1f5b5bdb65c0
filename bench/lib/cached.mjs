// The `cached` rows (issue 15): ours answering the same anonymous request again from its response
// cache, against raw in the same run. Before any load, each cached server must answer from the
// cache (X-Cache: HIT), with no SQL, and with raw's data; the report adds cached ÷ raw.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { sortKeys } from './operations.mjs';

const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The servers whose rows measure the response cache (servers.mjs). */
export const CACHED_SERVER_NAMES = ['cached', 'cached-memory'];
/** Issue 15's target: cached anonymous reads at least this many times raw's req/s. */
export const CACHED_TARGET = 1.5;
/** @default 40 tries, 50 ms apart: a miss saves its answer after responding, not before. */
const HIT_TRIES = 40;
const HIT_RETRY_MS = 50;

/**
 * Deletes every key under `prefix` (the run's own: servers.mjs), at the start and the end of a
 * run. Through the server's own ioredis: the bench builds the server from that install anyway.
 */
export async function flushPrefix(redisUrl, prefix) {
  const { Redis } = createRequire(path.join(ROOT_DIR, 'package.json'))('ioredis');
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/**
 * For each cached server and operation: asks until the answer is a hit, holds its data to the
 * reference server's (raw, else ours), and sets statements[operation][server] to the SQL that
 * `repeat` more hits sent (0 if the cache works). Throws when any of it does not hold.
 */
export async function checkCachedAnswers(servers, requests, statements, repeat = 3) {
  const reference = servers.find((s) => s.name === 'raw') ?? servers.find((s) => s.name === 'ours');
  for (const [operation, requestOf] of Object.entries(requests)) {
    for (const server of servers.filter((s) => CACHED_SERVER_NAMES.includes(s.name) && requestOf[s.name])) {
      const hit = await askUntilHit(server, requestOf[server.name]);
      const expected = (await send(requestOf[reference.name])).body;
      if (!isDeepStrictEqual(sortKeys(hit.data), sortKeys(expected.data))) {
        throw new Error(
          `${server.name} ${operation} answers from its cache differently from ${reference.name}:\n` +
            `${reference.name}: ${JSON.stringify(sortKeys(expected)).slice(0, 800)}\n${server.name}: ${JSON.stringify(sortKeys(hit)).slice(0, 800)}`,
        );
      }
      const before = await server.statementCount();
      for (let i = 0; i < repeat; i++) {
        const { outcome } = await send(requestOf[server.name]);
        if (outcome !== 'HIT') throw new Error(`${server.name} ${operation}: X-Cache ${outcome} on a repeat within the TTL`);
      }
      statements[operation][server.name] = ((await server.statementCount()) - before) / repeat;
    }
  }
}

async function askUntilHit(server, request) {
  for (let i = 0; i < HIT_TRIES; i++) {
    const { body, outcome } = await send(request);
    if (body.errors || !body.data) throw new Error(`${server.name} answered ${JSON.stringify(body).slice(0, 500)}`);
    if (outcome === 'HIT') return body;
    if (outcome !== 'MISS') throw new Error(`${server.name} answered without X-Cache: is its response cache on? ${server.describe()}`);
    await new Promise((resolve) => setTimeout(resolve, HIT_RETRY_MS));
  }
  throw new Error(`${server.name} never answered from its cache in ${HIT_TRIES} tries: ${server.describe()}`);
}

async function send({ method, url, headers, body }) {
  const response = await fetch(url, { method, headers, body });
  return { body: await response.json(), outcome: response.headers.get('x-cache') };
}

/** { <op>: { <cached server>: its req/s ÷ raw's } }, to two places, where both ran. */
export function cachedToRaw(operations) {
  const ratios = {};
  for (const [operation, byServer] of Object.entries(operations)) {
    for (const name of CACHED_SERVER_NAMES) {
      if (!byServer[name] || !byServer.raw?.rps) continue;
      (ratios[operation] ??= {})[name] = Math.round((byServer[name].rps / byServer.raw.rps) * 100) / 100;
    }
  }
  return ratios;
}

/** A markdown table of cachedToRaw, with issue 15's target; '' when no cached server ran beside raw. */
export function formatCachedTable(ratios) {
  const servers = CACHED_SERVER_NAMES.filter((name) => Object.values(ratios).some((byServer) => name in byServer));
  if (servers.length === 0) return '';
  const lines = [
    `| operation | ${servers.map((name) => `${name} ÷ raw`).join(' | ')} | target |`,
    `| --- |${' ---: |'.repeat(servers.length)} ---: |`,
  ];
  for (const [operation, byServer] of Object.entries(ratios)) {
    const cells = servers.map((name) => (name in byServer ? `${byServer[name].toFixed(2)}×` : ''));
    lines.push(`| ${operation} | ${cells.join(' | ')} | ≥ ${CACHED_TARGET}× |`);
  }
  return lines.join('\n');
}
