// All SQL about idempotency keys (the Stripe pattern; ../shared/api/README.md, "Idempotency").
// Every step is one atomic statement: two requests racing for a key never both run, and a
// request whose lease ran out can never overwrite or delete the claim of the one that took over.
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { idempotencyKeys } from '../db/schema.js';

export type KeyRef = { scope: string; key: string };

/** `leaseExpiresAt` tells this claim apart from any later one of the same key (a takeover's lease is later). */
export type Claim = KeyRef & { leaseExpiresAt: Date };

export type ClaimResult =
  { kind: 'claimed'; claim: Claim } | { kind: 'reused' } | { kind: 'in-progress' } | { kind: 'replay'; status: number; body: string };

export type ClaimRequest = KeyRef & { requestHash: string; leaseSeconds: number; ttlSeconds: number };

/**
 * A key that was released between two statements is looked up again; a few rounds only, since
 * each one means another request finished meanwhile.
 */
const CLAIM_ATTEMPTS = 3;

/**
 * A key no longer holds anything: kept past its ttl, or claimed by a request that never finished
 * (its lease ran out: the process died). Either way a new request may take it, whatever its body.
 */
const isFree = sql`(${idempotencyKeys.expiresAt} < now() or (${idempotencyKeys.responseStatus} is null and ${idempotencyKeys.leaseExpiresAt} < now()))`;

/** Claims the key for this request, or says why not. Never read-then-write: see tryClaim. */
export async function claimKey(db: Db, request: ClaimRequest): Promise<ClaimResult> {
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const claim = await tryClaim(db, request);
    if (claim) return { kind: 'claimed', claim };
    const [row] = await db
      .select({
        requestHash: idempotencyKeys.requestHash,
        responseStatus: idempotencyKeys.responseStatus,
        responseBody: idempotencyKeys.responseBody,
        isFree: sql<boolean>`${isFree}`,
      })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, request.scope), eq(idempotencyKeys.key, request.key)));
    // Released or expired since tryClaim looked: try again.
    if (!row || row.isFree) continue;
    if (row.requestHash !== request.requestHash) return { kind: 'reused' };
    if (row.responseStatus !== null && row.responseBody !== null)
      return { kind: 'replay', status: row.responseStatus, body: row.responseBody };
    return { kind: 'in-progress' };
  }
  throw new Error(
    `expected to claim idempotency key ${request.scope}/${request.key} or find its holder; it changed hands ${CLAIM_ATTEMPTS} times`,
  );
}

/**
 * One statement: inserts the claim, or takes over a free row in place (Postgres locks the
 * conflicting row, so of two racing takeovers one updates and the other sees the new claim).
 * Null when the key is held.
 */
async function tryClaim(db: Db, { scope, key, requestHash, leaseSeconds, ttlSeconds }: ClaimRequest): Promise<Claim | null> {
  const [row] = await db
    .insert(idempotencyKeys)
    .values({
      scope,
      key,
      requestHash,
      leaseExpiresAt: sql`now() + make_interval(secs => ${leaseSeconds})`,
      expiresAt: sql`now() + make_interval(secs => ${ttlSeconds})`,
      createdAt: sql`now()`,
    })
    .onConflictDoUpdate({
      target: [idempotencyKeys.scope, idempotencyKeys.key],
      set: {
        requestHash,
        responseStatus: null,
        responseBody: null,
        leaseExpiresAt: sql`excluded.lease_expires_at`,
        expiresAt: sql`excluded.expires_at`,
        createdAt: sql`excluded.created_at`,
      },
      setWhere: isFree,
    })
    .returning({ leaseExpiresAt: idempotencyKeys.leaseExpiresAt });
  return row ? { scope, key, leaseExpiresAt: row.leaseExpiresAt } : null;
}

/** Only this claim, still unanswered: a claim taken over after its lease ran out is not ours any more. */
const isHeld = (claim: Claim) =>
  and(
    eq(idempotencyKeys.scope, claim.scope),
    eq(idempotencyKeys.key, claim.key),
    eq(idempotencyKeys.leaseExpiresAt, claim.leaseExpiresAt),
    isNull(idempotencyKeys.responseStatus),
  );

/** Keeps the response for replays (until the key expires). */
export async function storeResponse(db: Db, claim: Claim, status: number, body: string): Promise<void> {
  await db.update(idempotencyKeys).set({ responseStatus: status, responseBody: body }).where(isHeld(claim));
}

/** Frees the key, so that the client may retry with it. */
export async function releaseKey(db: Db, claim: Claim): Promise<void> {
  await db.delete(idempotencyKeys).where(isHeld(claim));
}

/** Deletes every expired key (by idempotency_keys_expires_at_idx). */
export async function purgeExpiredKeys(db: Db): Promise<void> {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, sql`now()`));
}
