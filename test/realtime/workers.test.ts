// Several workers deliver each other's subscription events only through Redis: without it, a
// multi-worker server refuses to start, saying why.
import { expect, test } from 'vitest';
import { spawnServer } from '../support/child-server.js';

test('WORKERS > 1 without REDIS_URL exits non-zero before listening, naming REDIS_URL', async () => {
  // Never reached: the configuration is refused before anything is opened.
  const server = spawnServer({ WORKERS: '2', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
  const exit = await server.exited;
  expect(exit.code, server.output()).toBe(1);
  expect(server.output()).toContain('WORKERS > 1 needs REDIS_URL');
  expect(server.logs().some((line) => line.url)).toBe(false);
});
