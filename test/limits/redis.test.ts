// Rate limits in Redis (REDIS_URL): instances share one budget, keys stay under REDIS_PREFIX, and
// an outage falls back to each process's memory with a warning; the server never crashes or hangs.
// The Redis-backed tests run when REDIS_URL is set (CI sets it); the unreachable-Redis one always runs.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, test } from 'vitest';
import { freePort } from '../support/child-server.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const REDIS_URL = process.env.REDIS_URL;
const uniquePrefix = () => `test-${randomBytes(6).toString('hex')}:`;
const warnedOfRedis = (app: TestApp) => app.logs.some((line) => line.level === 40 && /Redis is unreachable/.test(line.msg));

describe.skipIf(!REDIS_URL)('with Redis', () => {
  test('two instances draw on one budget, and every key is under REDIS_PREFIX', async () => {
    const prefix = uniquePrefix();
    const env = { REDIS_URL: REDIS_URL!, REDIS_PREFIX: prefix, RATE_LIMIT_POINTS: '3' };
    const [a, b] = await Promise.all([startTestApp({ env }), startTestApp({ env })]);
    expect((await a.query(`{ __typename }`)).status).toBe(200);
    expect((await b.query(`{ __typename }`)).headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await a.query(`{ __typename }`)).status).toBe(200);
    const refused = await b.query(`{ __typename }`);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions.code).toBe('RATE_LIMITED');

    const redis = new Redis(REDIS_URL!);
    try {
      const keys = await redis.keys(`${prefix}*`);
      expect(keys).toContain(`${prefix}rate:address:127.0.0.1`);
      expect(keys.every((key) => key.startsWith(prefix))).toBe(true);
    } finally {
      redis.disconnect();
    }
  });

  test('Redis cut or frozen mid-way: requests keep being answered from memory, with a warning', async () => {
    const target = new URL(REDIS_URL!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const app = await startTestApp({ captureLogs: true, env: { REDIS_URL: proxy.urlFor(REDIS_URL!), REDIS_PREFIX: uniquePrefix() } });
    expect((await app.query(`{ __typename }`)).headers.get('x-ratelimit-remaining')).toBe('9999');

    await proxy.cut();
    const duringCut = await app.query(`{ posts(first: 1) { edges { cursor } } }`);
    expect(duringCut.status).toBe(200);
    expect(duringCut.headers.get('x-ratelimit-limit')).toBe('10000');
    expect(warnedOfRedis(app)).toBe(true);

    await proxy.restore();
    proxy.freeze(); // no answer, no RST: each command gives up after its timeout
    const duringFreeze = await app.query(`{ __typename }`);
    expect(duringFreeze.status).toBe(200);
    expect((await app.query(`{ __typename }`)).status).toBe(200);
  });
});

test('an unreachable REDIS_URL: the server starts and serves, counting in memory, and says so', async () => {
  const app = await startTestApp({
    captureLogs: true,
    env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}/0`, RATE_LIMIT_POINTS: '2' },
  });
  expect((await app.query(`{ __typename }`)).status).toBe(200);
  expect((await app.query(`{ __typename }`)).status).toBe(200);
  expect((await app.query(`{ __typename }`)).status).toBe(429); // the memory budget still holds
  expect(warnedOfRedis(app)).toBe(true);
});
