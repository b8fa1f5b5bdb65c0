// The guard rails in yoga's pipeline (HTTP and SSE): persisted operations on the raw params, the
// token limit in the parser, the introspection rules in validation, and ./guard.ts's admission
// in the envelop execute/subscribe hooks, which run after validation and context building and
// before useAuthentication's revocation check and useIdempotency's claim (this plugin comes first
// in app.ts). Then every /graphql response gets X-RateLimit-*, and a successful one
// extensions.cost: { requested, limit }.
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { DocumentNode } from 'graphql';
import type { Credentials, RequestCredentials } from '../auth/credentials.js';
import type { Context } from '../context.js';
import { clientAddress } from '../request/client-address.js';
import type { Log } from '../log.js';
import { useRequestBodyLimit } from './body-size.js';
import { rateLimited } from '../errors.js';
import { isRestOperation } from '../rest/trusted.js';
import type { Admission, Guards, Identity } from './guard.js';
import { useIntrospectionRules } from './introspection.js';
import { usePersistedOperations } from './persisted-operations.js';
import type { RateLimitState } from './rate-limit.js';
import { useTokenLimit } from './tokens.js';
import type { Config } from '../config.js';

type YogaContext = Context & { request?: Request; req?: unknown };

export type GuardPluginOptions = {
  graphqlPath: string;
  persistedMode: Config['persistedOperations']['mode'];
  requestCredentials: RequestCredentials;
  log: Log;
};

export function useGuards(guards: Guards, options: GuardPluginOptions): Plugin {
  // Per request: what it was charged before parsing, and the budget its response reports.
  const charges = new WeakMap<Request, RateLimitState>();
  const states = new WeakMap<Request, RateLimitState>();
  const admit = async (args: ExecutionArgs): Promise<Admission> => {
    const ctx = args.contextValue as YogaContext;
    const admission = await admissionFor(guards, args, ctx.request ? charges.get(ctx.request) : undefined);
    if (admission.rateLimit) {
      ctx.rateLimit = admission.rateLimit;
      if (ctx.request) states.set(ctx.request, admission.rateLimit);
    }
    return admission;
  };

  return {
    onPluginInit({ addPlugin }) {
      addPlugin(usePersistedOperations(options.persistedMode, guards.resolvePersisted));
      addPlugin(useTokenLimit(guards.limits.maxTokens));
      addPlugin(useIntrospectionRules(guards.limits));
      addPlugin(useRequestBodyLimit(guards.limits.maxBodyBytes));
    },
    async onParams({ request, context, setResult }) {
      // Before parsing: a client over budget gets its 429 before any work that grows with its
      // input, and a document that fails to parse or validate has paid its point.
      const charged = await guards.chargeRequest(identityFrom(await options.requestCredentials(request), context));
      charges.set(request, charged);
      states.set(request, charged);
      if (charged.retryAfterSeconds !== null) setResult({ errors: [rateLimited(charged.retryAfterSeconds)] });
    },
    async onExecute({ args, setResultAndStopExecution }) {
      const admission = await admit(args);
      if (!admission.ok) {
        setResultAndStopExecution({ errors: admission.errors });
        return;
      }
      const cost = { requested: admission.cost, limit: guards.limits.maxCost };
      const record = (args.contextValue as unknown as YogaContext).telemetry;
      if (record) record.cost = admission.cost;
      return {
        // Not async unless there are sign-in attempts to count: most results go on with no promise made.
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result)) return;
          if (admission.authAttempts.length === 0) {
            setResult({ ...result, extensions: { ...result.extensions, cost } });
            return;
          }
          return guards.settle(admission, result).then(() => setResult({ ...result, extensions: { ...result.extensions, cost } }));
        },
      };
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      // Metered when it starts: the cost of one event's selection.
      const admission = await admit(args);
      if (!admission.ok) setResultAndStopExecution({ errors: admission.errors });
    },
    onResponse({ request, response, serverContext }) {
      const state = states.get(request);
      if (state) {
        setRateLimitHeaders(response, state);
        return;
      }
      return budgetOfRefused(request, serverContext).then((refused) => refused && setRateLimitHeaders(response, refused));
    },
  };

  /** A /graphql request refused before admission (a parse error, a 413…): its identity's budget as it stands. */
  async function budgetOfRefused(request: Request, serverContext: unknown): Promise<RateLimitState | undefined> {
    if (new URL(request.url).pathname !== options.graphqlPath) return undefined;
    try {
      return await guards.peekRateLimit(identityFrom(await options.requestCredentials(request), serverContext));
    } catch (err) {
      options.log.warn({ err }, 'could not read the rate limit for the response headers');
      return undefined;
    }
  }
}

type ExecutionArgs = { document: DocumentNode; variableValues?: unknown; operationName?: string | null; contextValue: unknown };

/** The admission of this context: made here, or already by a transport that called the guard itself. */
async function admissionFor(guards: Guards, args: ExecutionArgs, charged: RateLimitState | undefined): Promise<Admission> {
  const ctx = args.contextValue as YogaContext;
  return (
    guards.admissionOf(ctx) ??
    guards.admitOperation({
      document: args.document,
      variables: (args.variableValues ?? null) as Record<string, unknown> | null,
      operationName: args.operationName ?? null,
      trusted: ctx.request ? isRestOperation(ctx.request) : false,
      identity: { userId: ctx.viewer?.id ?? null, clientAddress: clientAddress(ctx) },
      context: ctx,
      charged,
    })
  );
}

function setRateLimitHeaders(response: Response, state: RateLimitState): void {
  response.headers.set('X-RateLimit-Limit', String(state.limit));
  response.headers.set('X-RateLimit-Remaining', String(state.remaining));
  response.headers.set('X-RateLimit-Reset', String(Math.ceil(state.resetAt.getTime() / 1000)));
  // A RATE_LIMITED error carries it already (its http.headers); a 429 must not get it twice.
  if (state.retryAfterSeconds !== null && !response.headers.has('retry-after'))
    response.headers.set('Retry-After', String(state.retryAfterSeconds));
}

/** Who asks, before the context exists: the verified token's user, else the client address. */
function identityFrom(credentials: Credentials, serverContext: unknown): Identity {
  return { userId: credentials.kind === 'token' ? credentials.claims.userId : null, clientAddress: clientAddress(serverContext) };
}
