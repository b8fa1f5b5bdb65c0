// One subscriber's events: a bounded queue between the fan-out, which pushes every event to all
// its subscribers at once, and the transport, which pulls the next one only when the client has
// taken the last (graphql-ws waits for each send to be written; yoga's SSE pulls as its response
// drains). So a slow client makes its own queue grow, and nothing else.
//
// Slow-consumer policy (README "Subscriptions"): when `maxQueued` events wait and one more
// arrives, the subscriber is dropped, never silently thinned out: `onOverflow` runs (over
// WebSocket the connection closes with 1013 "Try Again Later": graphql-ws clients reconnect and
// subscribe again), then the stream fails (over SSE the response breaks off, and EventSource
// clients reconnect). A client that reconnects refetches what it may have missed.

export type EventStream<T> = AsyncIterableIterator<T> & {
  push(event: T): void;
  /** Nothing queued, and no event being filtered, resolved or sent. */
  readonly isIdle: boolean;
  /** Fails the stream: the pending pull and every later one reject with `reason`. */
  abort(reason: Error): void;
};

export type EventStreamOptions<T> = {
  maxQueued: number;
  /** Whether the subscriber wants this event. A rejection counts as yes: resolving the event reports the failure. */
  accepts(event: T): boolean | Promise<boolean>;
  onOverflow(): void;
  /** Called once, when the stream ends or fails. */
  onEnd(): void;
};

export class SlowConsumerError extends Error {
  override name = 'SlowConsumerError';
}

const ENDED = Symbol('ended');

export function createEventStream<T>(options: EventStreamOptions<T>): EventStream<T> {
  const queue: T[] = [];
  let waiting: ((event: T | typeof ENDED) => void) | null = null;
  let failWaiting: ((reason: Error) => void) | null = null;
  let isBusy = false;
  let isEnded = false;
  let failure: Error | null = null;

  const end = () => {
    if (isEnded) return;
    isEnded = true;
    queue.length = 0;
    isBusy = false;
    waiting?.(ENDED);
    waiting = failWaiting = null;
    options.onEnd();
  };

  const stream: EventStream<T> = {
    push(event) {
      if (isEnded) return;
      if (waiting) {
        const wake = waiting;
        waiting = failWaiting = null;
        wake(event);
      } else if (queue.length < options.maxQueued) {
        queue.push(event);
      } else {
        options.onOverflow();
        stream.abort(new SlowConsumerError(`the subscriber fell ${options.maxQueued} events behind`));
      }
    },
    get isIdle() {
      return !isBusy && queue.length === 0;
    },
    abort(reason) {
      if (isEnded) return;
      failure = reason;
      const fail = failWaiting;
      waiting = failWaiting = null;
      fail?.(reason);
      end();
    },
    async next(): Promise<IteratorResult<T>> {
      isBusy = false;
      for (;;) {
        if (failure) throw failure;
        if (isEnded) return { done: true, value: undefined };
        const event =
          queue.length > 0
            ? queue.shift()!
            : await new Promise<T | typeof ENDED>((resolve, reject) => {
                waiting = resolve;
                failWaiting = reject;
              });
        if (event === ENDED) continue;
        isBusy = true;
        const isWanted = await Promise.resolve()
          .then(() => options.accepts(event))
          .catch(() => true);
        if (isWanted && !isEnded) return { done: false, value: event };
        isBusy = false;
      }
    },
    async return(): Promise<IteratorResult<T>> {
      end();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
