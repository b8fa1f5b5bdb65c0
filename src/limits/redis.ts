// The Redis connection of the rate limits and the response cache (REDIS_URL; keys under
// REDIS_PREFIX). Outage policy:
// the server never waits on Redis. Commands fail at once while it is disconnected (no offline
// queue) and after REDIS_COMMAND_TIMEOUT_MS when it stops answering; the limiters then count in
// this process's memory (rate-limiter-flexible's insurance limiter), a warning is logged once per
// outage, and ioredis reconnects in the background. While it is out, each instance counts alone.
import { Redis } from 'ioredis';
import type { Log } from '../log.js';

/** @default 500 ms: a command unanswered by then counts as an outage (a partition sends no RST). */
const REDIS_COMMAND_TIMEOUT_MS = 500;
/** @default 2000 ms: how long start() waits for a first connection before serving from memory. */
const REDIS_CONNECT_TIMEOUT_MS = 2000;

export type RedisConnection = {
  client: Redis;
  /** Resolves once connected, or after the connect timeout (then serving from memory): never rejects. */
  ready(): Promise<void>;
  close(): Promise<void>;
};

export function connectRedis(url: string, log: Log): RedisConnection {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    // Keep trying, at most every 2 s: the limits move back to Redis as soon as it answers.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let isDown = false;
  const warn = (reason: string) => {
    if (isDown) return;
    isDown = true;
    log.warn({ reason }, "Redis is unreachable: rate limits count in this process's memory until it is back (each instance alone)");
  };
  client.on('error', (error: Error) => warn(error.message));
  client.on('end', () => warn('connection closed'));
  client.on('ready', () => {
    if (isDown) log.info('Redis is back: rate limits are shared again');
    isDown = false;
  });
  return {
    client,
    ready: () =>
      new Promise<void>((resolve) => {
        if (client.status === 'ready') return resolve();
        const timer = setTimeout(done, REDIS_CONNECT_TIMEOUT_MS);
        client.once('ready', done);
        function done() {
          clearTimeout(timer);
          client.off('ready', done);
          resolve();
        }
      }),
    close: () => {
      client.disconnect();
      return Promise.resolve();
    },
  };
}
