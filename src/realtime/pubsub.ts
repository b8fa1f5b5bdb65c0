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
  return (value: unknown): void => {
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
    subscribe(topic, listener) {
      const deliver = deliverTo(topic, listener, log);
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      set.add(deliver);
      return Promise.resolve(() => void set.delete(deliver));
    },
    close: () => {
      listeners.clear();
      return Promise.resolve();
    },
  };
}

/**
 * Over two ioredis connections: one publishes, one subscribes. Every Redis promise is caught here
 * (an unhandled rejection would end the process during an outage), and subscribe() waits for its
 * channel's SUBSCRIBE to be acknowledged. @graphql-yoga/redis-event-target does the same channel
 * bookkeeping but leaves those promises unhandled and only takes whole ioredis clients, so it could
 * only be used through stand-ins posing as clients.
 */
function redisPubSub(url: string, prefix: string, log: Log): PubSub {
  // Publishes: one retry across a reconnection, then the event is dropped (logged), so an outage
  // holds neither memory nor the mutations that publish.
  const publisher = watched(new Redis(url, { maxRetriesPerRequest: 1, connectionName: `${prefix}publish` }), 'publish', log);
  // SUBSCRIBE waits out an outage (no retry limit) instead of failing; after a reconnection
  // ioredis subscribes again to every channel it had (autoResubscribe).
  const subscriber = watched(new Redis(url, { maxRetriesPerRequest: null, connectionName: `${prefix}subscribe` }), 'subscribe', log);
  const channels = redisChannels(subscriber, log);
  const channelOf = (topic: Topic) => `${prefix}events:${topic}`;

  return {
    publish(topic, payload) {
      const channel = channelOf(topic);
      publisher
        .publish(channel, JSON.stringify(payload))
        .catch((err: unknown) => log.warn({ err, channel }, 'a subscription event was not published: Redis is unreachable'));
    },
    subscribe: async (topic, listener) => channels.listen(channelOf(topic), deliverTo(topic, listener, log)),
    async close() {
      // QUIT lets the last publishes out; a client that is not connected has nothing to send.
      subscriber.disconnect();
      if (publisher.status === 'ready') await publisher.quit().catch(() => publisher.disconnect());
      else publisher.disconnect();
    },
  };
}

type ChannelListener = (value: unknown) => void;

/**
 * The listeners of each channel on the subscribing connection: SUBSCRIBE with the first,
 * UNSUBSCRIBE after the last. listen() resolves once the channel's SUBSCRIBE is acknowledged.
 */
function redisChannels(subscriber: Redis, log: Log) {
  const channels = new Map<string, { listeners: Set<ChannelListener>; subscribed: Promise<unknown> }>();
  subscriber.on('message', (channel: string, message: string) => {
    const listeners = channels.get(channel)?.listeners;
    if (!listeners) return;
    const value = parseMessage(message);
    for (const listener of listeners) listener(value);
  });
  const remove = (channel: string, listener: ChannelListener) => {
    const entry = channels.get(channel);
    if (!entry?.listeners.delete(listener) || entry.listeners.size > 0) return;
    channels.delete(channel);
    subscriber.unsubscribe(channel).catch(() => undefined);
  };
  return {
    async listen(channel: string, listener: ChannelListener): Promise<() => void> {
      let entry = channels.get(channel);
      if (!entry) {
        const subscribed = subscriber.subscribe(channel);
        subscribed.catch((err: unknown) => log.warn({ err, channel }, 'could not subscribe to a Redis channel'));
        channels.set(channel, (entry = { listeners: new Set(), subscribed }));
      }
      entry.listeners.add(listener);
      try {
        await entry.subscribed;
      } catch (error) {
        remove(channel, listener);
        throw error;
      }
      return () => remove(channel, listener);
    },
  };
}

/** A message's payload (an empty message has none); text that is not JSON is passed on as it is, for the payload check to drop. */
function parseMessage(message: string): unknown {
  if (message === '') return null;
  try {
    return JSON.parse(message);
  } catch {
    return message;
  }
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
