// The guard rails of issue 6, written once for every transport. HTTP and SSE call them through
// yoga (./plugin.ts); the WebSocket transport calls them from graphql-ws's onSubscribe, where only
// an error *returned* reaches the client (as an `error` message; a throw closes the socket):
//
//   const guards = createGuards(config, schema, log, redis);   // one per app (createApp makes it)
//
//   // raw params first, under PERSISTED_OPERATIONS=only (null otherwise):
//   const persisted = guards.resolvePersisted?.(params);      // { query } | GraphQLError
//   // before parsing: the rate limit's first point (a client over budget stops here)
//   const charged = await guards.chargeRequest(identity);     // charged.retryAfterSeconds → 429
//   // after parse and graphql's validation (the walk of ./cost.ts trusts it: no unknown fragment, no cycle):
//   const admission = await guards.admitOperation({
//     document, variables, operationName, charged,
//     identity: { userId: viewer?.id ?? null, clientAddress },   // from the verified token: no SQL
//     context: contextValue,   // optional: marks it admitted, so ./plugin.ts's envelop hooks skip it
//   });
//   if (!admission.ok) return admission.errors;                // contract codes; http.status inside
//   // admission.cost, admission.rateLimit (X-RateLimit-* values)
//
// Order (the contract's): the cheap refusals first, body size and token count (the parser), and
// the rate limit's first point, before any work that grows with the input; then the operation and
// its variables (./variables.ts), first/after of every connection (BAD_USER_INPUT), aliases and
// directives and introspection depth (./shape.ts), cost (QUERY_TOO_COMPLEX), depth
// (QUERY_TOO_DEEP), then the rest of the cost from the budget (RATE_LIMITED) and, for logIn and
// createUser, the brute-force budget. The token's revocation check, the idempotency claim and
// execution come after, so nothing here sends SQL, and a refused request sends none at all.
import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Config } from '../config.js';
import { badRequest, badUserInput, queryTooComplex, queryTooDeep, rateLimited } from '../errors.js';
import type { Log } from '../log.js';
import type { RefusalKind } from '../metrics/metrics.js';
import { createAuthBudget, type AuthAttempt, type ExecutedResult } from './auth-rate-limit.js';
import type { Measurements } from './cost.js';
import { createOperationCache, type OperationCache } from './operation-cache.js';
import { loadManifest, resolvePersistedOnly, type OperationParams } from './persisted-operations.js';
import { createBudget, type RateLimitState } from './rate-limit.js';
import type { RedisConnection } from './redis.js';
import { checkShape } from './shape.js';

export type OperationRequest = {
  document: DocumentNode;
  /** As the client sent them (not yet coerced). */
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  /**
   * The server's own document (a REST route's, src/rest/routes.ts): its size and depth are the
   * server's choice, bounded by its page-size limit, so the cost and shape limits, which exist
   * against what clients write, do not refuse it. It still pays its cost from the budget.
   */
  trusted?: boolean;
};

/** Who is asking: the user id of a verified token, else the client address. */
export type Identity = { userId: number | null; clientAddress: string | null };

export type Verdict =
  | { ok: true; cost: number; operation: OperationDefinitionNode; variables: Record<string, unknown> }
  | { ok: false; errors: readonly GraphQLError[] };

export type Admission =
  | { ok: true; cost: number; operation: OperationDefinitionNode; rateLimit: RateLimitState; authAttempts: AuthAttempt[] }
  | { ok: false; errors: readonly GraphQLError[]; rateLimit: RateLimitState | null };

export type Guards = {
  readonly limits: Config['limits'];
  /** Under PERSISTED_OPERATIONS=only, the manifest check on raw params; null in the other modes. */
  resolvePersisted: ((params: OperationParams) => { query: string } | GraphQLError) | null;
  /**
   * The first point of a request, taken before it is parsed: a client over budget is refused
   * (the state has retryAfterSeconds) before any work that grows with what it sent.
   */
  chargeRequest(identity: Identity): Promise<RateLimitState>;
  /** `charged`: chargeRequest's state for this request, when the transport took it (then only the rest of the cost is taken). */
  admitOperation(input: OperationRequest & { identity: Identity; context?: object; charged?: RateLimitState }): Promise<Admission>;
  /** The admission recorded for a context by admitOperation({ context }), if any. */
  admissionOf(context: object): Admission | undefined;
  /** After execution of an admitted operation: counts failed logIns. */
  settle(admission: Admission, result: ExecutedResult): Promise<void>;
  /** The identity's general budget, without consuming (for headers of requests never admitted). */
  peekRateLimit(identity: Identity): Promise<RateLimitState>;
};

/**
 * The pure part: is this operation, with these variables, acceptable, and what does it cost? What
 * does not depend on the variables is worked out once per document and operation (`operations`).
 */
export function guardOperation(operations: OperationCache, limits: Config['limits'], request: OperationRequest): Verdict {
  const entry = operations.entryOf(request.document, request.operationName);
  if (!entry) {
    const message = request.operationName
      ? `Unknown operation named "${request.operationName}".`
      : 'Must provide operation name if query contains multiple operations.';
    return { ok: false, errors: [badRequest(message)] };
  }
  const coerced = entry.coerce(request.variables);
  if (!coerced.ok) return { ok: false, errors: coerced.errors };
  const measured = entry.measure(coerced.values);
  const refusal =
    (measured.pageProblems.length > 0 ? badUserInput(measured.pageProblems) : null) ??
    (request.trusted ? null : clientLimitRefusal(measured, limits));
  return refusal
    ? { ok: false, errors: [refusal] }
    : { ok: true, cost: measured.cost, operation: entry.operation, variables: coerced.values };
}

/** The limits on what a client may write: shape, cost and depth. */
function clientLimitRefusal(measured: Measurements, limits: Config['limits']): GraphQLError | null {
  return (
    checkShape(measured, limits) ??
    (measured.cost > limits.maxCost ? queryTooComplex(measured.cost, limits.maxCost) : null) ??
    (measured.depth > limits.maxDepth ? queryTooDeep(measured.depth, limits.maxDepth) : null)
  );
}

/** `redis`: the app's connection (REDIS_URL), or null to count in this process's memory. */
/** `refused`: told of each refusal for going too fast (the metrics' rate_limit_refusals_total). */
export function createGuards(
  config: Config,
  schema: GraphQLSchema,
  log: Log,
  redis: RedisConnection | null,
  refused: (kind: RefusalKind) => void = () => undefined,
): Guards {
  const prefix = config.redis.prefix;
  const general = createBudget({
    points: config.rateLimit.points,
    windowSeconds: config.rateLimit.windowSeconds,
    redis: redis?.client ?? null,
    keyPrefix: `${prefix}rate`,
  });
  const auth = createAuthBudget(config.rateLimit, redis?.client ?? null, prefix);
  const manifest = config.persistedOperations.mode === 'only' ? loadManifest(config.persistedOperations.manifestPath!) : null;
  const admissions = new WeakMap<object, Admission>();
  const operations = createOperationCache(schema);
  const keyOf = (identity: Identity) =>
    identity.userId !== null ? `user:${identity.userId}` : `address:${identity.clientAddress ?? 'unknown'}`;

  async function admit(input: OperationRequest & { identity: Identity; charged?: RateLimitState }): Promise<Admission> {
    const key = keyOf(input.identity);
    // The rate limit's first point comes before coercion and the cost walk, whose work grows with
    // the input; it is also what a refused operation pays (refusing costs parsing and validation).
    const charged = input.charged ?? (await general.consume(key, 1));
    if (charged.retryAfterSeconds !== null) {
      // A charge made before parsing (input.charged) was counted when it was refused.
      if (!input.charged) refused('budget');
      return overBudget(charged);
    }
    const verdict = guardOperation(operations, config.limits, input);
    if (!verdict.ok) return { ok: false, errors: verdict.errors, rateLimit: charged };
    const rest = verdict.cost - 1;
    const rateLimit = rest > 0 ? { ...(await general.consume(key, rest)), cost: verdict.cost } : charged;
    if (rateLimit.retryAfterSeconds !== null) {
      refused('budget');
      return overBudget(rateLimit);
    }
    const { attempts, overrun } = await auth.admit(
      schema,
      input.document,
      verdict.operation,
      verdict.variables,
      input.identity.clientAddress,
    );
    if (overrun) {
      refused('sign_in_attempts');
      return {
        ok: false,
        errors: [rateLimited(overrun.retryAfterSeconds!, 'Too many sign-up or log-in attempts')],
        rateLimit: { ...rateLimit, retryAfterSeconds: overrun.retryAfterSeconds },
      };
    }
    return { ok: true, cost: verdict.cost, operation: verdict.operation, rateLimit, authAttempts: attempts };
  }

  return {
    limits: config.limits,
    resolvePersisted: manifest ? (params) => resolvePersistedOnly(manifest, params) : null,
    async chargeRequest(identity) {
      const charged = await general.consume(keyOf(identity), 1);
      if (charged.retryAfterSeconds !== null) refused('budget');
      return charged;
    },
    async admitOperation(input) {
      const admission = await admit(input);
      if (input.context) admissions.set(input.context, admission);
      return admission;
    },
    admissionOf: (context) => admissions.get(context),
    async settle(admission, result) {
      if (!admission.ok || admission.authAttempts.length === 0) return;
      await auth.settle(admission.authAttempts, result).catch((err: unknown) => log.warn({ err }, 'could not count a failed log-in'));
    },
    peekRateLimit: (identity) => general.peek(keyOf(identity)),
  };
}

function overBudget(rateLimit: RateLimitState): Admission {
  return { ok: false, errors: [rateLimited(rateLimit.retryAfterSeconds!)], rateLimit };
}
