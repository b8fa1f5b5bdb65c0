// The brute-force budget of logIn and createUser, much smaller than the general one, so that
// passwords cannot be guessed at the general budget's pace:
//  - per client address: every logIn and createUser attempt (AUTH_RATE_LIMIT_ADDRESS_ATTEMPTS);
//  - per email: every failed logIn and every createUser (AUTH_RATE_LIMIT_EMAIL_FAILURES), the
//    window of both being AUTH_RATE_LIMIT_WINDOW_SECONDS. A successful logIn clears its email's count.
// Checked before execution, each aliased field counting as one attempt; failures are counted
// after it (settleAuthAttempts). Emails are kept hashed: no address ends up in Redis.
import { getArgumentValues, OperationTypeNode, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { rootFields } from '../operation/root-fields.js';
import { createBudget, type Budget, type RateLimitState } from './rate-limit.js';
import { sha256Hex } from './persisted-operations.js';

const GUARDED_FIELDS = new Set(['logIn', 'createUser']);

export type AuthAttempt = { field: 'logIn' | 'createUser'; responseKey: string; emailKey: string | null };

/**
 * What settle reads of an execution result. Not graphql's ExecutionResult: graphql-jit's errors
 * leave `extensions` undefined when the error they wrap has none, which graphql's GraphQLError
 * type does not allow for.
 */
export type ExecutedResult = {
  data?: Readonly<Record<string, unknown>> | null;
  errors?: readonly { path?: readonly (string | number)[]; extensions?: Readonly<Record<string, unknown>> }[];
};

export type AuthBudget = {
  /** The attempts this operation makes, and the first budget they overrun (null: none). */
  admit(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    clientAddress: string | null,
  ): Promise<{ attempts: AuthAttempt[]; overrun: RateLimitState | null }>;
  /** After execution: counts each failed logIn against its email; a success clears it. */
  settle(attempts: AuthAttempt[], result: ExecutedResult): Promise<void>;
};

export function createAuthBudget(settings: Config['rateLimit'], redis: Redis | null, prefix: string): AuthBudget {
  const byAddress = createBudget({
    points: settings.authAttemptsPerAddress,
    windowSeconds: settings.authWindowSeconds,
    redis,
    keyPrefix: `${prefix}auth-address`,
  });
  const byEmail = createBudget({
    points: settings.authFailuresPerEmail,
    windowSeconds: settings.authWindowSeconds,
    redis,
    keyPrefix: `${prefix}auth-email`,
  });
  return {
    async admit(schema, document, operation, variables, clientAddress) {
      if (operation.operation !== OperationTypeNode.MUTATION) return { attempts: [], overrun: null };
      const attempts = authAttempts(schema, document, operation, variables);
      if (attempts.length === 0) return { attempts, overrun: null };
      const address = await byAddress.consume(clientAddress ?? 'unknown', attempts.length);
      if (address.retryAfterSeconds !== null) return { attempts, overrun: address };
      return { attempts, overrun: await emailOverrun(byEmail, attempts) };
    },
    async settle(attempts, result) {
      for (const attempt of attempts) {
        if (attempt.field !== 'logIn' || attempt.emailKey === null) continue;
        const failed = result.errors?.some(
          (error) => error.path?.[0] === attempt.responseKey && error.extensions?.code === 'UNAUTHENTICATED',
        );
        const succeeded = result.data?.[attempt.responseKey] != null;
        if (failed) await byEmail.consume(attempt.emailKey, 1);
        else if (succeeded) await byEmail.reset(attempt.emailKey);
      }
    },
  };
}

/** The logIn and createUser fields of a mutation, each with the hash of the email it names (if it can be read). */
function authAttempts(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): AuthAttempt[] {
  const mutation = schema.getMutationType()!.getFields();
  const attempts: AuthAttempt[] = [];
  for (const node of rootFields(document, operation)) {
    const field = node.name.value;
    if (!GUARDED_FIELDS.has(field)) continue;
    let email: unknown;
    try {
      email = (getArgumentValues(mutation[field]!, node, variables).input as { email?: unknown } | undefined)?.email;
    } catch {
      email = undefined; // execution reports the argument error; the address budget still counts it
    }
    const emailKey = typeof email === 'string' ? sha256Hex(email.trim().toLowerCase()).slice(0, 32) : null;
    attempts.push({ field: field as AuthAttempt['field'], responseKey: node.alias?.value ?? field, emailKey });
  }
  return attempts;
}

/** The first email budget these attempts overrun, or null. */
async function emailOverrun(byEmail: Budget, attempts: AuthAttempt[]): Promise<RateLimitState | null> {
  for (const attempt of attempts) {
    if (attempt.emailKey === null) continue;
    // createUser counts up front; a logIn only once it has failed (settle), so only look here.
    const email = attempt.field === 'createUser' ? await byEmail.consume(attempt.emailKey, 1) : await byEmail.peek(attempt.emailKey);
    if (email.retryAfterSeconds !== null || (email.remaining === 0 && attempt.field === 'logIn')) {
      return {
        ...email,
        retryAfterSeconds: email.retryAfterSeconds ?? Math.max(1, Math.ceil((email.resetAt.getTime() - Date.now()) / 1000)),
      };
    }
  }
  return null;
}
