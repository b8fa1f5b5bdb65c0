// Helpers for tests of the response cache: where it may live, put an answer in it (and check it
// is there), and read an answer that must come without errors.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Session } from './sign-in.js';
import type { TestApp } from './test-app.js';

/**
 * The stores a test can run against, for describe.each: memory always, Redis with REDIS_URL. `env()`
 * gives each app a prefix of its own: answers are keyed by document and viewer, not by database.
 */
export const CACHE_STORES = [
  { store: 'in memory', env: (): Record<string, string> => ({}) },
  ...(process.env.REDIS_URL
    ? [
        {
          store: 'in Redis',
          env: (): Record<string, string> => ({ REDIS_URL: process.env.REDIS_URL!, REDIS_PREFIX: `test-cache-${randomUUID()}:` }),
        },
      ]
    : []),
];

/** Asks `query` twice on `app`; the second must be a hit. Returns its data. */
export async function warm(app: TestApp, query: string, variables?: Record<string, unknown>, session?: Session): Promise<any> {
  const first = await app.query(query, variables, session);
  expect(first.errors, `${query} answers without errors`).toBeUndefined();
  const second = await app.query(query, variables, session);
  expect(second.headers.get('x-cache'), `${query} is cached once asked`).toBe('HIT');
  expect(second.statements).toBe(0);
  return second.data;
}

/** The data of `query` on `app`, which must answer without errors. */
export async function read(app: TestApp, query: string, variables?: Record<string, unknown>, session?: Session): Promise<any> {
  const res = await app.query(query, variables, session);
  expect(res.errors, `${query} answers without errors`).toBeUndefined();
  return res.data;
}

/** Runs a mutation that must succeed; returns its data. */
export async function mutate(app: TestApp, mutation: string, variables?: Record<string, unknown>, session?: Session): Promise<any> {
  const res = await app.query(mutation, variables, session);
  expect(res.errors, `${mutation} succeeds`).toBeUndefined();
  return res.data;
}

/** Whether `query` is still answered from the cache (statements 0). */
export async function isStillCached(app: TestApp, query: string, variables?: Record<string, unknown>, session?: Session): Promise<boolean> {
  const res = await app.query(query, variables, session);
  return res.headers.get('x-cache') === 'HIT' && res.statements === 0;
}
