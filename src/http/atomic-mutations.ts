// A request's mutation fields commit together or not at all (issue 11; Hasura's rule). Without
// it, `mutation { a: createPost(…) b: deletePost(<not yours>) }` committed `a`, answered
// FORBIDDEN on `b`, and the Idempotency-Key was released (the response had errors): every retry
// wrote `a` again. Now the whole execution of an operation with several root mutation fields runs
// in one transaction; each resolver's own `ctx.db.transaction` becomes a savepoint inside it.
// Any error in the result rolls everything back, and the answer is the errors with `data: null`,
// so a released key really means nothing happened.
//
// One root field is left alone: it is atomic already through its resolver's transaction, and some
// work is kept outside any transaction on purpose (createUser hashes the password first).
import { getOperationAST, OperationTypeNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin, type PromiseOrValue } from 'graphql-yoga';
import { runOn, type Context } from '../context.js';
import { holding, publishHeld } from '../realtime/held-events.js';
import { rootFields } from '../operation/root-fields.js';

/** Thrown out of the transaction's callback so that drizzle rolls it back; carries the answer. */
class RollBack extends Error {
  constructor(readonly result: ExecutionResult) {
    super('the mutation answered with errors: rolled back');
  }
}

/**
 * Place it after graphql-jit's onExecute: it wraps whichever executor is set by then (envelop
 * hands each onExecute the executor chosen so far), so the compiled one runs inside the transaction.
 */
export function useAtomicMutations(): Plugin<Context> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      // envelop types the arguments and the executor with `any` (it serves any GraphQL
      // implementation): here they are graphql-js's, and the executor answers as graphql-js's does.
      const operationArgs: Pick<ExecutionArgs, 'document' | 'operationName'> = args;
      const run: (execution: ExecutionArgs) => PromiseOrValue<ExecutionResult | AsyncIterable<ExecutionResult>> = executeFn;
      const operation = getOperationAST(operationArgs.document, operationArgs.operationName ?? undefined);
      if (operation?.operation !== OperationTypeNode.MUTATION || rootFields(operationArgs.document, operation).length < 2) return;
      setExecuteFn((execution: ExecutionArgs) =>
        atomically(execution.contextValue as Context, async () => {
          const result = await run(execution);
          // No @defer/@stream on this server: a stream here would outlive its transaction.
          if (isAsyncIterable(result)) throw new Error('expected one result for a mutation, got a stream');
          return result;
        }),
      );
    },
  };
}

async function atomically(ctx: Context, execute: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
  const { db, pubsub } = ctx;
  const held: (() => void)[] = [];
  let result: ExecutionResult;
  try {
    result = await db.transaction(async (tx) => {
      runOn(ctx, tx);
      ctx.pubsub = holding(pubsub, held);
      const executed = await execute();
      if (executed.errors?.length) throw new RollBack(executed);
      return executed;
    });
  } catch (error) {
    // Anything else (BEGIN, COMMIT or ROLLBACK failed: the database is gone) is thrown on, and
    // answered as a database failure is (503): nothing was committed then either.
    if (!(error instanceof RollBack)) throw error;
    return { ...error.result, data: null };
  } finally {
    runOn(ctx, db);
    ctx.pubsub = pubsub;
  }
  publishHeld(ctx, held);
  return result;
}
