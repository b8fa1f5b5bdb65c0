// Fixed-window budgets (rate-limiter-flexible): in memory, or in Redis when REDIS_URL is set so
// that every instance draws on one budget, with this process's memory as the fallback while Redis
// is out (./redis.ts). A window starts with the key's first consumption and lasts windowSeconds.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';

export type RateLimitState = {
  limit: number;
  remaining: number;
  /** When the window ends and the budget is whole again. */
  resetAt: Date;
  /** Points this request consumed (0 for a look that consumed nothing). */
  cost: number;
  /** Set when the request is over budget: whole seconds until the reset (at least 1). */
  retryAfterSeconds: number | null;
};

export type Budget = {
  readonly limit: number;
  /** Takes `points` (a whole number ≥ 1); over budget → a state with retryAfterSeconds. */
  consume(key: string, points: number): Promise<RateLimitState>;
  /** The key's state without consuming anything. */
  peek(key: string): Promise<RateLimitState>;
  /** Forgets the key (a successful logIn clears its email's failures). */
  reset(key: string): Promise<void>;
};

export type BudgetOptions = { points: number; windowSeconds: number; redis: Redis | null; keyPrefix: string };

export function createBudget({ points, windowSeconds, redis, keyPrefix }: BudgetOptions): Budget {
  const memory = new RateLimiterMemory({ points, duration: windowSeconds, keyPrefix });
  const limiter: RateLimiterAbstract = redis
    ? new RateLimiterRedis({
        storeClient: redis,
        points,
        duration: windowSeconds,
        keyPrefix,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      })
    : memory;
  const stateOf = (res: RateLimiterRes, cost: number, isOver: boolean): RateLimitState => ({
    limit: points,
    remaining: Math.max(0, points - res.consumedPoints),
    resetAt: new Date(Date.now() + Math.max(0, res.msBeforeNext)),
    cost,
    retryAfterSeconds: isOver ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : null,
  });
  return {
    limit: points,
    async consume(key, cost) {
      try {
        return stateOf(await limiter.consume(key, cost), cost, false);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return stateOf(rejection, cost, true);
        throw rejection;
      }
    },
    async peek(key) {
      const res = await limiter.get(key);
      return res
        ? stateOf(res, 0, res.consumedPoints > points)
        : { limit: points, remaining: points, resetAt: new Date(Date.now() + windowSeconds * 1000), cost: 0, retryAfterSeconds: null };
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
