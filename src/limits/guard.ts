// The guard rails of issue 6, written once for every transport. HTTP and SSE call them through
// yoga (./plugin.ts); the WebSocket transport calls them from graphql-ws's onSubscribe, where only
// an error *returned* reaches the client (as an `error` message; a throw closes the socket):
//
//   const guards = createGuards(config, schema, log);          // one per app (createApp makes it)
//   await guards.start();                                      // waits (bounded) for Redis, if any
//
//   // raw params first, under PERSISTED_OPERATIONS=only (null otherwise):
//   const persisted = guards.resolvePersisted?.(params);      // { query } | GraphQLError
//   // after parse and graphql's validation (never before: see ./depth.ts):
//   const admission = await guards.admitOperation({
//     document, variables, operationName,
//     identity: { userId: viewer?.id ?? null, clientAddress },   // from the verified token: no SQL
//     context: contextValue,   // optional: marks it admitted, so ./plugin.ts's envelop hooks skip it
//   });
//   if (!admission.ok) return admission.errors;                // contract codes; http.status inside
//   // admission.cost, admission.rateLimit (X-RateLimit-* values)
//
// Order (the contract's): operation and variables, then first/after of every connection
// (BAD_USER_INPUT), aliases and directives and introspection depth (./shape.ts), cost
// (QUERY_TOO_COMPLEX), depth (QUERY_TOO_DEEP), then the rate limit (RATE_LIMITED) and, for logIn
// and createUser, the brute-force budget. The token's revocation check, the idempotency claim and
// execution come after, so nothing here sends SQL, and a refused request sends none at all.
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Config } from '../config.js';
import { badRequest, badUserInput, queryTooComplex, rateLimited } from '../errors.js';
import type { Log } from '../log.js';
import { createAuthBudget, type AuthAttempt } from './auth-rate-limit.js';
import { measureOperation } from './cost.js';
import { checkDepth } from './depth.js';
import { withoutSuggestion } from './introspection.js';
import { loadManifest, resolvePersistedOnly, type OperationParams } from './persisted-operations.js';
import { createBudget, type RateLimitState } from './rate-limit.js';
import { connectRedis } from './redis.js';
import { checkShape } from './shape.js';

export type OperationRequest = {
  document: DocumentNode;
  /** As the client sent them (not yet coerced). */
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
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
  start(): Promise<void>;
  /** Under PERSISTED_OPERATIONS=only, the manifest check on raw params; null in the other modes. */
  resolvePersisted: ((params: OperationParams) => { query: string } | GraphQLError) | null;
  admitOperation(input: OperationRequest & { identity: Identity; context?: object }): Promise<Admission>;
  /** The admission recorded for a context by admitOperation({ context }), if any. */
  admissionOf(context: object): Admission | undefined;
  /** After execution of an admitted operation: counts failed logIns. */
  settle(admission: Admission, result: ExecutionResult): Promise<void>;
  /** The identity's general budget, without consuming (for headers of requests never admitted). */
  peekRateLimit(identity: Identity): Promise<RateLimitState>;
  close(): Promise<void>;
};

/** The pure part: is this operation, with these variables, acceptable, and what does it cost? */
export function guardOperation(schema: GraphQLSchema, limits: Config['limits'], request: OperationRequest): Verdict {
  const operation = getOperationAST(request.document, request.operationName ?? undefined);
  if (!operation) {
    const message = request.operationName ? `Unknown operation named "${request.operationName}".` : 'Must provide operation name if query contains multiple operations.';
    return { ok: false, errors: [badRequest(message)] };
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 50 });
  if (coerced.errors) return { ok: false, errors: coerced.errors.map(variableError) };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of request.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = measureOperation(schema, fragments, operation, coerced.coerced);
  const refusal =
    (measured.pageProblems.length > 0 ? badUserInput(measured.pageProblems) : null) ??
    checkShape(measured, limits) ??
    (measured.cost > limits.maxCost ? queryTooComplex(measured.cost, limits.maxCost) : null) ??
    checkDepth(operation, fragments, limits.maxDepth);
  return refusal ? { ok: false, errors: [refusal] } : { ok: true, cost: measured.cost, operation, variables: coerced.coerced };
}

/** A variable that does not fit its type, in the contract's terms: BAD_USER_INPUT naming `$name`. */
function variableError(error: GraphQLError): GraphQLError {
  const shown = withoutSuggestion(error);
  const variable = /^Variable "(\$[_A-Za-z][_0-9A-Za-z]*)"/.exec(shown.message)?.[1] ?? 'variables';
  return new GraphQLError(shown.message, {
    nodes: error.nodes,
    extensions: { code: 'BAD_USER_INPUT', details: [{ field: variable, message: shown.message }], http: { status: 400, spec: true } },
  });
}

export function createGuards(config: Config, schema: GraphQLSchema, log: Log): Guards {
  const redis = config.redis.url ? connectRedis(config.redis.url, log) : null;
  const prefix = config.redis.prefix;
  const general = createBudget({ points: config.rateLimit.points, windowSeconds: config.rateLimit.windowSeconds, redis: redis?.client ?? null, keyPrefix: `${prefix}rate` });
  const auth = createAuthBudget(config.rateLimit, redis?.client ?? null, prefix);
  const manifest = config.persistedOperations.mode === 'only' ? loadManifest(config.persistedOperations.manifestPath!) : null;
  const admissions = new WeakMap<object, Admission>();
  const keyOf = (identity: Identity) => (identity.userId !== null ? `user:${identity.userId}` : `address:${identity.clientAddress ?? 'unknown'}`);

  async function admit(input: OperationRequest & { identity: Identity }): Promise<Admission> {
    const verdict = guardOperation(schema, config.limits, input);
    // A refused operation still takes 1 point: refusing costs us parsing and validation.
    const rateLimit = await general.consume(keyOf(input.identity), verdict.ok ? Math.max(1, verdict.cost) : 1);
    if (rateLimit.retryAfterSeconds !== null) return { ok: false, errors: [rateLimited(rateLimit.retryAfterSeconds)], rateLimit };
    if (!verdict.ok) return { ok: false, errors: verdict.errors, rateLimit };
    const { attempts, overrun } = await auth.admit(schema, input.document, verdict.operation, verdict.variables, input.identity.clientAddress);
    if (overrun) {
      return { ok: false, errors: [rateLimited(overrun.retryAfterSeconds!, 'Too many sign-up or log-in attempts')], rateLimit: { ...rateLimit, retryAfterSeconds: overrun.retryAfterSeconds } };
    }
    return { ok: true, cost: verdict.cost, operation: verdict.operation, rateLimit, authAttempts: attempts };
  }

  return {
    limits: config.limits,
    start: async () => redis?.ready(),
    resolvePersisted: manifest ? (params) => resolvePersistedOnly(manifest, params) : null,
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
    close: async () => redis?.close(),
  };
}
