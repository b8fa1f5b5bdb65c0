// Typed topics for subscription events: in-process without REDIS_URL, Redis pub/sub with it, so
// that an event written through one instance reaches the subscribers of every instance.
// Payloads are ids only (numbers): what a subscriber sees is read from the database when the event
// arrives, never carried in the message, so nothing stale or private travels through Redis.
// Over Redis a payload is JSON (a Date would arrive as a string: there are none), and every
// payload is checked on arrival, as another instance may run another version.
//
// Redis going away (README "Subscriptions"): the server keeps running; subscriptions stay open
// and receive nothing meanwhile; a publish that cannot reach Redis within one reconnection
// attempt is dropped and logged; new subscriptions start once Redis answers again; ioredis
// reconnects and re-subscribes by itself. Events written during the outage are not replayed.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Log } from '../log.js';

export type Topics = {
  postCreated: { postId: number; authorId: number };
  commentAdded: { commentId: number; postId: number };
  /**
   * Not a subscription event: logOut or deleteUser revoked every token of `userId` older than
   * `tokenVersion`; each instance closes the sockets and streams opened with one (./realtime.ts).
   */
  tokensRevoked: { userId: number; tokenVersion: number };
};
export type Topic = keyof Topics;

const FIELDS: { [T in Topic]: readonly (keyof Topics[T])[] } = {
  postCreated: ['postId', 'authorId'],
  commentAdded: ['commentId', 'postId'],
  tokensRevoked: ['userId', 'tokenVersion'],
};

export type PubSub = {
  /** Fire and forget: never throws, never waits for Redis (a failure is logged). Call it after commit. */
  publish<T extends Topic>(topic: T, payload: Topics[T]): void;
  /** Resolves once `listener` gets the topic's events: with Redis, once SUBSCRIBE is acknowledged. */
  subscribe<T extends Topic>(topic: T, listener: (payload: Topics[T]) => void): Promise<() => void>;
  close(): Promise<void>;
};

export function createPubSub(redis: Config['redis'], log: Log): PubSub {
  return redis.url ? redisPubSub(redis.url, redis.prefix, log) : inProcessPubSub(log);
}

/** The payload when it has exactly the topic's fields, each a positive integer; else null. */
function checkPayload<T extends Topic>(topic: T, value: unknown): Topics[T] | null {
  if (!value || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  const fields = FIELDS[topic] as readonly string[];
  if (Object.keys(record).length !== fields.length) return null;
  return fields.every((field) => Number.isSafeInteger(record[field]) && (record[field] as number) > 0) ? (record as Topics[T]) : null;
}

function deliverTo<T extends Topic>(topic: T, listener: (payload: Topics[T]) => void, log: Log) {
  return (value: unknown) => {
    const payload = checkPayload(topic, value);
    if (!payload) return log.warn({ topic, payload: value }, 'dropped a malformed subscription event');
    try {
      listener(payload);
    } catch (err) {
      log.error({ err, topic }, 'a subscription event listener failed');
    }
  };
}

function inProcessPubSub(log: Log): PubSub {
  const listeners = new Map<Topic, Set<(value: unknown) => void>>();
  return {
    publish(topic, payload) {
      // A copy, as Redis would hand over: no listener shares the publisher's object.
      for (const listener of listeners.get(topic) ?? []) listener({ ...payload });
    },
    async subscribe(topic, listener) {
      const deliver = deliverTo(topic, listener, log);
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      set.add(deliver);
      return () => void set.delete(deliver);
    },
    close: async () => listeners.clear(),
  };
}

/**
 * @graphql-yoga/redis-event-target, given thin fronts of the two ioredis clients: it calls
 * publish, subscribe and unsubscribe without waiting for or catching their promises, so a Redis
 * outage would be an unhandled rejection (which ends a Node process), and it does not say when a
 * SUBSCRIBE is acknowledged. The fronts catch every failure and keep each channel's SUBSCRIBE
 * promise for subscribe() to wait on.
 */
function redisPubSub(url: string, prefix: string, log: Log): PubSub {
  // Publishes: one retry across a reconnection, then the event is dropped (logged), so an outage
  // holds neither memory nor the mutations that publish.
  const publisher = watched(new Redis(url, { maxRetriesPerRequest: 1, connectionName: `${prefix}publish` }), 'publish', log);
  // SUBSCRIBE waits out an outage (no retry limit) instead of failing; after a reconnection
  // ioredis subscribes again to every channel it had (autoResubscribe).
  const subscriber = watched(new Redis(url, { maxRetriesPerRequest: null, connectionName: `${prefix}subscribe` }), 'subscribe', log);
  const acknowledged = new Map<string, Promise<unknown>>();
  const eventTarget = createRedisEventTarget<CustomEvent>({
    publishClient: {
      publish: (channel: string, message: string) =>
        publisher
          .publish(channel, message)
          .catch((err: unknown) => log.warn({ err, channel }, 'a subscription event was not published: Redis is unreachable')),
    } as unknown as Redis,
    subscribeClient: {
      on: (event: string, listener: (...args: any[]) => void) => subscriber.on(event, listener),
      subscribe: (channel: string) => {
        const done = subscriber.subscribe(channel);
        acknowledged.set(channel, done);
        done.catch((err: unknown) => log.warn({ err, channel }, 'could not subscribe to a Redis channel'));
        return done;
      },
      unsubscribe: (channel: string) => {
        acknowledged.delete(channel);
        return subscriber.unsubscribe(channel).catch(() => undefined);
      },
    } as unknown as Redis,
  });
  const channelOf = (topic: Topic) => `${prefix}events:${topic}`;

  return {
    publish(topic, payload) {
      eventTarget.dispatchEvent(new CustomEvent(channelOf(topic), { detail: payload }));
    },
    async subscribe(topic, listener) {
      const channel = channelOf(topic);
      const deliver = deliverTo(topic, listener, log);
      const callback = (event: CustomEvent) => deliver(event.detail);
      eventTarget.addEventListener(channel, callback);
      try {
        await acknowledged.get(channel);
      } catch (error) {
        eventTarget.removeEventListener(channel, callback);
        throw error;
      }
      return () => eventTarget.removeEventListener(channel, callback);
    },
    async close() {
      // QUIT lets the last publishes out; a client that is not connected has nothing to send.
      subscriber.disconnect();
      if (publisher.status === 'ready') await publisher.quit().catch(() => publisher.disconnect());
      else publisher.disconnect();
    },
  };
}

/** Logs a lost connection once, and its return, instead of every failed reconnection attempt. */
function watched(client: Redis, role: string, log: Log): Redis {
  let isDown = false;
  client.on('error', (err: Error) => {
    if (isDown) return;
    isDown = true;
    log.warn({ err: { message: err.message }, role }, 'Redis connection lost: subscription events pause until it returns');
  });
  client.on('ready', () => {
    if (!isDown) return;
    isDown = false;
    log.info({ role }, 'Redis connection restored');
  });
  return client;
}
