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
//
// Not yoga's Repeater (@repeaterjs/repeater) with a FixedBuffer: a push past its buffer is held
// (up to 1024, then it throws) rather than refused, so the overflow could not be seen when it
// happens; stopping it with an error still delivers what is buffered before failing, where this
// policy (and revocation, and shutdown) must drop the queue and break an SSE response at once;
// and it does not tell whether its buffer is empty, which drain() needs (isIdle).

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
  return new BoundedEventStream(options);
}

class BoundedEventStream<T> implements EventStream<T> {
  private readonly queue: T[] = [];
  /** The pending pull, if any: how to hand it an event, or fail it. */
  private waiting: { wake: (event: T | typeof ENDED) => void; fail: (reason: Error) => void } | null = null;
  private isBusy = false;
  private isEnded = false;
  private failure: Error | null = null;

  constructor(private readonly options: EventStreamOptions<T>) {}

  push(event: T): void {
    if (this.isEnded) return;
    if (this.waiting) {
      const { wake } = this.waiting;
      this.waiting = null;
      wake(event);
    } else if (this.queue.length < this.options.maxQueued) {
      this.queue.push(event);
    } else {
      this.options.onOverflow();
      this.abort(new SlowConsumerError(`the subscriber fell ${this.options.maxQueued} events behind`));
    }
  }

  get isIdle(): boolean {
    return !this.isBusy && this.queue.length === 0;
  }

  abort(reason: Error): void {
    if (this.isEnded) return;
    this.failure = reason;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.fail(reason);
    this.end();
  }

  async next(): Promise<IteratorResult<T>> {
    this.isBusy = false;
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.isEnded) return { done: true, value: undefined };
      const event = this.queue.length > 0 ? this.queue.shift()! : await this.nextPushed();
      if (event === ENDED) continue;
      this.isBusy = true;
      const isWanted = await Promise.resolve()
        .then(() => this.options.accepts(event))
        .catch(() => true);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- abort() or return() may end the stream while accepts() is awaited; tsc keeps the narrowing from the loop's top
      if (isWanted && !this.isEnded) return { done: false, value: event };
      this.isBusy = false;
    }
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private nextPushed(): Promise<T | typeof ENDED> {
    return new Promise((wake, fail) => (this.waiting = { wake, fail }));
  }

  private end(): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.queue.length = 0;
    this.isBusy = false;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.wake(ENDED);
    this.options.onEnd();
  }
}
