// The response cache (issue 15): answers to queries, shared by every instance through Redis (in
// this process's memory without REDIS_URL), keyed by the document, the operation, the variables
// and the viewer, so no answer ever reaches another viewer. Read-your-writes across instances:
// a mutation's response goes only once every cached answer it could change is gone.
//
// Two plugins, because they sit at two places in the pipeline (src/app.ts):
// - `lookup`, after the guards (a cached answer is charged its cost like any other) and before the
//   token's check against its user: a hit sends no SQL at all. That is safe because answers are
//   keyed by the token's user and version, and logOut and deleteUser drop the user's answers
//   before they answer. A miss runs as usual and saves its answer with what it read (./tags.ts),
//   unless it has errors: errors and partial answers are never cached.
// - `invalidation`, around the executor set last (after useAtomicMutations): once the mutation has
//   committed, it drops the tags its resolvers named (./changes.ts), then lets the response and the
//   subscription events go.
import { createHash } from 'node:crypto';
import { getOperationAST, OperationTypeNode, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin, type PromiseOrValue } from 'graphql-yoga';
import stringify from 'safe-stable-stringify';
import type { Context } from '../context.js';
import type { Log } from '../log.js';
import { rootFieldNames } from '../operation/root-fields.js';
import { holding, publishHeld } from '../realtime/held-events.js';
import type { ResponseStore } from './store.js';
import { EVERYTHING, viewerTag } from './tags.js';

/** Root fields whose answer is not data: the budget left changes with every request. */
const UNCACHEABLE_FIELDS = new Set(['rateLimit']);
/** @default 512 KiB: a larger answer is not cached (it would crowd out many small ones). */
const MAX_CACHED_CHARS = 512 * 1024;
/** Past the TTL, every answer a failed invalidation should have dropped has expired: see ./store.ts. */
const INVALIDATION_MARGIN_MS = 1000;

type Outcome = 'HIT' | 'MISS';
type YogaContext = Context & { request?: Request };
/** What a document's operation is, worked out once per document. */
type Described = { kind: OperationTypeNode | null; isCacheable: boolean; documentId: string; variableNames: readonly string[] };

export type ResponseCache = { lookup: Plugin; invalidation: Plugin };

/** `onLookup`: told of every lookup's outcome (the metrics count them). */
export function createResponseCache(
  store: ResponseStore,
  ttlMs: number,
  log: Log,
  onLookup: (outcome: 'hit' | 'miss' | 'error') => void = () => undefined,
): ResponseCache {
  const describe = describer();
  const outcomes = new WeakMap<Request, Outcome>();
  const outage = outageLog(log);

  function keyOf(args: ExecutionArgs, ctx: Context, described: Described): string {
    const viewer = ctx.viewer ? `${ctx.viewer.id}.${ctx.viewer.tokenVersion}` : '-';
    // Only the variables the operation declares: the guards have checked those against their types
    // (so they are shallow), and any other a client sends changes nothing but could be anything.
    // One left out stays out (null and absent differ: absent takes the default).
    const given = args.variableValues ?? {};
    const variables = stringify(
      Object.fromEntries(described.variableNames.filter((name) => name in given).map((name) => [name, given[name]])),
    );
    return createHash('sha1').update(`${described.documentId}\n${viewer}\n${variables}`).digest('base64url');
  }

  function save(ctx: Context, key: string, result: ExecutionResult, sequence: number, readStartedAt: number): void {
    if (result.errors?.length || !result.data) return;
    const body = JSON.stringify(result.data);
    if (body.length > MAX_CACHED_CHARS) return;
    const tags = [...ctx.dependsOn, EVERYTHING];
    if (ctx.viewer) tags.push(viewerTag(ctx.viewer.id));
    // Not awaited: the answer is ready; a save that fails only costs a later hit.
    void Promise.resolve()
      .then(() => store.save({ key, body, tags, sequence, readStartedAt }))
      .then(outage.over, outage.begun);
  }

  const lookup: Plugin = {
    onExecute({ args, setResultAndStopExecution }) {
      const execution = args as ExecutionArgs;
      const ctx = execution.contextValue as YogaContext;
      const described = describe(execution.document, execution.operationName);
      if (!described.isCacheable || ctx.credentials.kind === 'invalid') return;
      const key = keyOf(execution, ctx, described);
      const readStartedAt = Date.now();
      return Promise.resolve()
        .then(() => store.lookup(key))
        .then(
          ({ body, sequence }) => {
            outage.over();
            onLookup(body === null ? 'miss' : 'hit');
            if (ctx.request) outcomes.set(ctx.request, body === null ? 'MISS' : 'HIT');
            if (body !== null) {
              setResultAndStopExecution({ data: JSON.parse(body) as Record<string, unknown> });
              return;
            }
            return {
              onExecuteDone: ({ result }: { result: ExecutionResult | AsyncIterable<ExecutionResult> }) => {
                if (!isAsyncIterable(result)) save(ctx, key, result, sequence, readStartedAt);
              },
            };
          },
          // The cache cannot be reached: answer from the database, and save nothing.
          (error: unknown) => {
            onLookup('error');
            outage.begun(error);
          },
        );
    },
    onResponse({ request, response }) {
      const outcome = outcomes.get(request);
      if (outcome) response.headers.set('X-Cache', outcome);
    },
  };

  /** Until done, or until every answer it should drop has expired (./store.ts): never fails the mutation. */
  async function invalidate(ctx: Context, tags: readonly string[]): Promise<void> {
    const deadline = Date.now() + ttlMs + INVALIDATION_MARGIN_MS;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await store.invalidate(tags);
        outage.over();
        return;
      } catch (error) {
        outage.begun(error);
        const waitMs = Math.min(50 * 2 ** attempt, 500, deadline - Date.now());
        if (waitMs <= 0) {
          ctx.log.warn({ tags: tags.length }, 'the response cache could not be invalidated: answered once the answers it held expired');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  const invalidation: Plugin = {
    onExecute({ args, executeFn, setExecuteFn }) {
      const execution = args as ExecutionArgs;
      if (describe(execution.document, execution.operationName).kind !== OperationTypeNode.MUTATION) return;
      const run = executeFn as (execution: ExecutionArgs) => PromiseOrValue<ExecutionResult>;
      setExecuteFn(async (execution: ExecutionArgs) => {
        const ctx = execution.contextValue as Context;
        const { pubsub } = ctx;
        const held: (() => void)[] = [];
        ctx.pubsub = holding(pubsub, held);
        try {
          return await run(execution);
        } finally {
          // Also when the execution threw: what committed before stands, and was changed.
          ctx.pubsub = pubsub;
          if (ctx.changed.size > 0) await invalidate(ctx, [...ctx.changed]);
          publishHeld(ctx, held);
        }
      });
    },
  };

  return { lookup, invalidation };
}

/** Per document and operation name: its kind, whether its answers may be cached, and an id of its text. */
function describer(): (document: DocumentNode, operationName: string | null | undefined) => Described {
  const byDocument = new WeakMap<DocumentNode, Map<string, Described>>();
  return (document, operationName) => {
    let byName = byDocument.get(document);
    if (!byName) byDocument.set(document, (byName = new Map<string, Described>()));
    const name = operationName ?? '';
    let described = byName.get(name);
    if (!described) {
      const operation = getOperationAST(document, operationName);
      const isQuery = operation?.operation === OperationTypeNode.QUERY;
      described = {
        kind: operation?.operation ?? null,
        isCacheable: isQuery && !rootFieldNames(document, operation).some((field) => UNCACHEABLE_FIELDS.has(field)),
        // The operation's name is part of it: one document may hold several operations.
        variableNames: operation?.variableDefinitions?.map((definition) => definition.variable.name.value) ?? [],
        documentId: isQuery
          ? createHash('sha1')
              .update(`${name}\n${print(document)}`)
              .digest('base64url')
          : '',
      };
      byName.set(name, described);
    }
    return described;
  };
}

/** Logs when the cache becomes unreachable and when it is back, once each. */
function outageLog(log: Log) {
  let isDown = false;
  return {
    begun: (error: unknown) => {
      if (isDown) return;
      isDown = true;
      log.warn({ err: error }, 'the response cache is unreachable: answering without it until it is back');
    },
    over: () => {
      if (!isDown) return;
      isDown = false;
      log.info('the response cache is reachable again');
    },
  };
}
