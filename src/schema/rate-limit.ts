// Query.rateLimit: the caller's budget after this query, and what this query cost (as GitHub's
// rateLimit does). The guard measured and charged the operation before execution (src/limits/).
import type { RateLimitState } from '../limits/rate-limit.js';
import { builder } from './builder.js';

const RateLimit = builder.objectRef<RateLimitState>('RateLimit').implement({
  description: 'Your rate-limit budget: cost points per window, drawn by every operation (at least 1 point each).',
  fields: (t) => ({
    limit: t.exposeInt('limit', { description: 'Points per window (the X-RateLimit-Limit header).' }),
    remaining: t.exposeInt('remaining', { description: 'Points left in this window, this query already paid for.' }),
    resetAt: t.expose('resetAt', { type: 'DateTime', description: 'When the window ends and the budget is whole again.' }),
    cost: t.exposeInt('cost', { description: 'What this query cost, in points.' }),
  }),
});

builder.queryFields((t) => ({
  rateLimit: t.field({
    type: RateLimit,
    description: 'Your rate-limit budget, and what this query cost. See also the X-RateLimit-* response headers.',
    resolve: (_root, _args, ctx) => {
      if (!ctx.rateLimit)
        throw new Error('expected the rate-limit state of this request to be recorded by the guard before execution, found none');
      return ctx.rateLimit;
    },
  }),
}));
