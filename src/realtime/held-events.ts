// Events a request holds back until its writes are settled: a subscriber must never hear of a
// write that was rolled back (src/http/atomic-mutations.ts), nor before the cached answers the
// write changed are gone (src/cache/response-cache.ts), or its first read could be stale.
import type { Context } from '../context.js';
import type { FanOut } from './fan-out.js';

/** The fan-out, but publishing only when told (publishHeld): each publish is kept in `held`. */
export function holding(pubsub: FanOut, held: (() => void)[]): FanOut {
  return { ...pubsub, publish: (topic, payload) => void held.push(() => pubsub.publish(topic, payload)) };
}

/** In the order the resolvers published. The writes stand: a failure is only logged. */
export function publishHeld(ctx: Pick<Context, 'log' | 'requestId'>, held: readonly (() => void)[]): void {
  for (const publish of held) {
    try {
      publish();
    } catch (err) {
      ctx.log.error({ err, requestId: ctx.requestId }, 'could not publish an event after its mutation committed');
    }
  }
}
