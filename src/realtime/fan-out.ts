// This instance's side of every subscription: one pub/sub listener per topic (one Redis channel
// per topic and instance, however many subscribers), and for each event that arrives, one set of
// loaders (src/loaders/event.ts) handed to every local subscriber with it, each through its own
// bounded queue (./event-stream.ts).
import type { Viewer } from '../auth/viewer.js';
import type { EventLoaders } from '../loaders/event.js';
import type { Log } from '../log.js';
import type { Counters } from '../metrics/metrics.js';
import { inNewTrace } from '../telemetry/tracing.js';
import { createEventStream, type EventStream } from './event-stream.js';
import type { PubSub, Topic, Topics } from './pubsub.js';

/** The topics subscription fields listen to (tokensRevoked is the transports' own: ./realtime.ts). */
export type EventTopic = Exclude<Topic, 'tokensRevoked'>;

/** An event as a subscriber's resolver gets it: the published ids, and the event's loaders. */
export type Delivered<T extends EventTopic> = Topics[T] & { loaders: EventLoaders };

/**
 * What subscribe() reads of a subscriber's request context: a Context (src/context.ts) is one.
 * Spelled out rather than imported, because context.ts imports FanOut and that would be a cycle.
 */
export type Subscriber = {
  requestId: string;
  viewer: Viewer | null;
  /** The WebSocket the subscription came on (null over SSE): closed when the subscriber falls behind. */
  socket: { close(code: number, reason: string): void } | null;
};

/** Close code for a subscriber that fell too far behind (README): graphql-ws clients reconnect on it. */
export const SLOW_CONSUMER_CLOSE_CODE = 1013;

export type FanOut = {
  /** Call after the write has committed, never inside its transaction. */
  publish: PubSub['publish'];
  /**
   * The events of `topic` that `accepts` wants, for one subscriber; resolves once the topic's
   * channel is subscribed, so that no event published after this resolves is missed.
   */
  subscribe<T extends EventTopic>(
    ctx: Subscriber,
    topic: T,
    accepts: (event: Delivered<T>) => boolean | Promise<boolean>,
  ): Promise<AsyncIterableIterator<Delivered<T>>>;
  /**
   * Fails every SSE stream whose viewer is `userId` with a token older than `tokenVersion`
   * (logOut, deleteUser): the response breaks off, and the client's reconnection is refused.
   * WebSocket streams end with their socket (ws.ts).
   */
  revoke(userId: number, tokenVersion: number): void;
  /** This instance's subscribers per topic (WebSocket and SSE), for the metrics. */
  subscriberCounts(): Record<EventTopic, number>;
  /** Shutdown, first step: take no more events, and wait (until the deadline) for those queued to be sent. */
  drain(deadline: number): Promise<void>;
  /** Shutdown, last step: fail every stream still open (SSE responses then end as broken connections). */
  abortAll(): void;
};

/** @default 20 ms: how often drain() looks whether every subscriber is idle. */
const DRAIN_POLL_MS = 20;

export function createFanOut(
  pubsub: PubSub,
  newEventLoaders: () => EventLoaders,
  maxQueued: number,
  log: Log,
  counters: Pick<Counters, 'published' | 'delivered'>,
): FanOut {
  const streams: { [T in EventTopic]: Set<EventStream<Delivered<T>>> } = { postCreated: new Set(), commentAdded: new Set() };
  /** The SSE streams opened with a token, and whose. */
  const sseViewers = new Map<EventStream<unknown>, Viewer>();
  const all = () => Object.values(streams).flatMap((set) => [...set] as EventStream<unknown>[]);
  let isDraining = false;
  const listen = listenOnce(pubsub, <T extends EventTopic>(topic: T, payload: Topics[T]) => {
    const subscribers = streams[topic] as Set<EventStream<Delivered<T>>>;
    if (isDraining || subscribers.size === 0) return;
    inNewTrace(`subscription.event ${topic}`, { 'graphql.subscription.field': topic, 'subscription.subscribers': subscribers.size }, () => {
      const event = { ...payload, loaders: newEventLoaders() };
      for (const stream of subscribers) stream.push(event);
    });
  });

  return {
    publish(topic, payload) {
      pubsub.publish(topic, payload);
      counters.published(topic);
    },
    async subscribe(ctx, topic, accepts) {
      await listen(topic);
      const subscribers = streams[topic] as Set<EventStream<Delivered<typeof topic>>>;
      const stream = createEventStream<Delivered<typeof topic>>({
        maxQueued,
        accepts: (event) => {
          const accepted = accepts(event);
          if (accepted === true) counters.delivered(topic);
          if (typeof accepted === 'boolean') return accepted;
          return accepted.then((isAccepted) => {
            if (isAccepted) counters.delivered(topic);
            return isAccepted;
          });
        },
        onOverflow: () => closeSlowSubscriber(ctx, topic, maxQueued, log),
        onEnd: () => {
          subscribers.delete(stream);
          sseViewers.delete(stream);
        },
      });
      subscribers.add(stream);
      if (ctx.viewer && !ctx.socket) sseViewers.set(stream, ctx.viewer);
      return stream;
    },
    subscriberCounts: () => ({ postCreated: streams.postCreated.size, commentAdded: streams.commentAdded.size }),
    revoke(userId, tokenVersion) {
      for (const [stream, viewer] of [...sseViewers]) {
        if (viewer.id === userId && viewer.tokenVersion < tokenVersion) stream.abort(new Error('the token of this stream was revoked'));
      }
    },
    async drain(deadline) {
      isDraining = true;
      while (Date.now() < deadline && !all().every((stream) => stream.isIdle)) {
        await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
      }
    },
    abortAll() {
      for (const stream of all()) stream.abort(new Error('the server is shutting down'));
    },
  };
}

/** Each topic's one listener, added on first use and kept: two topics, so two channels at most. */
function listenOnce(pubsub: PubSub, deliver: <T extends EventTopic>(topic: T, payload: Topics[T]) => void) {
  const listening = new Map<EventTopic, Promise<unknown>>();
  return (topic: EventTopic): Promise<unknown> => {
    let ready = listening.get(topic);
    if (!ready) {
      ready = pubsub.subscribe(topic, (payload) => deliver(topic, payload));
      ready.catch(() => listening.delete(topic));
      listening.set(topic, ready);
    }
    return ready;
  };
}

function closeSlowSubscriber(ctx: Subscriber, topic: EventTopic, maxQueued: number, log: Log): void {
  log.warn({ requestId: ctx.requestId, topic, maxQueued }, 'dropped a subscriber that fell too far behind');
  ctx.socket?.close(SLOW_CONSUMER_CLOSE_CODE, 'Try again later: the client fell too far behind');
}
