// Idempotency-Key on mutations, the Stripe pattern (../shared/api/README.md, "Idempotency").
// One keyed mutation goes through three hooks:
//  1. onRequestParse: the sha256 of the raw body bytes, read beside the parser (so within the
//     body-size limit of src/limits/body-size.ts), and the client address, while the socket is open;
//  2. onExecute, after parse, validation and the token's revocation check, before execution:
//     claim the key, or answer 409/422 (400 if the answer would be streamed: it could not be
//     kept), or stop with a placeholder to be replaced by a replay;
//  3. onResponse, where the final status and body are known: put the stored response in place
//     of the placeholder; or, for the run that holds the claim, store a success, release the rest.
// State is keyed by the Request: yoga's batching is off, so one request is one operation.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { getOperationAST, OperationTypeNode, type ExecutionArgs, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Context } from '../context.js';
import type { Db } from '../db/client.js';
import { badRequest, idempotencyKeyInProgress, idempotencyKeyRequired, idempotencyKeyReused } from '../errors.js';
import type { Log } from '../log.js';
import { claimKey, purgeExpiredKeys, releaseKey, storeResponse, type Claim } from '../model/idempotency-keys.js';
import { checkViewer } from '../auth/authentication.js';
import { clientAddress } from '../request/client-address.js';
import { rootFieldNames } from '../operation/root-fields.js';
import { requestIdOf } from '../request/request-id.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** 1..255 printable ASCII characters (the transport has already trimmed surrounding spaces). */
const VALID_KEY = /^[\x20-\x7E]{1,255}$/;

/** Their responses carry a token, which must never be kept in the database: they ignore the header. */
const UNSTORED_FIELDS = new Set(['createUser', 'logIn']);

const JSON_TYPE = /^application\/(graphql-response\+)?json\b/i;

/** @default 60000 ms: expired keys are deleted at most this often per process, on a claim. */
const PURGE_INTERVAL_MS = 60_000;

/** What onRequestParse learns of a keyed POST: its body's hash, who sent it, and how many keys it sent. */
type RequestBody = { hash: string; address: string | null; keyCount: number };
type Outcome = { kind: 'run'; claim: Claim } | { kind: 'replay'; status: number; body: string };

export function useIdempotency(settings: Config['idempotency'], db: Db, log: Log): Plugin<Context> {
  const bodies = new WeakMap<Request, RequestBody>();
  const outcomes = new WeakMap<Request, Outcome>();
  const admit = admission(settings, db, log, bodies);

  async function claim(ctx: Context & { request: Request }, fields: string[], stop: (result: { errors?: never[]; data?: null }) => void) {
    // A request refused by useAuthentication keeps that answer and touches no key. Memoized: free.
    if (await checkViewer(ctx)) return;
    const admitted = await admit(ctx, ctx.request, fields);
    if (admitted === null) return;
    if (admitted instanceof Error) {
      stop({ errors: [admitted as never] });
      return;
    }
    outcomes.set(ctx.request, admitted);
    // A placeholder, replaced in onResponse by the stored response, byte for byte.
    if (admitted.kind === 'replay') stop({ data: null });
  }

  return {
    onRequestParse({ request, requestParser, setRequestParser, serverContext }) {
      if (request.method !== 'POST' || !request.headers.has(IDEMPOTENCY_KEY_HEADER) || !requestParser) return;
      const address = clientAddress(serverContext);
      const keyCount = headerCount(serverContext, IDEMPOTENCY_KEY_HEADER);
      setRequestParser(async (parsed) => {
        const hash = await bodyHash(parsed);
        if (hash !== null) bodies.set(request, { hash, address, keyCount });
        return requestParser(parsed);
      });
    },
    // Neither hook is async: a request with nothing to claim or replay (a query, a mutation
    // without a key when none is required) leaves at once, with no promise made.
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as Context & { request?: Request };
      // Without a key, a mutation runs as usual unless keys are required (checkKey). A request over
      // WebSocket has no Request: subscriptions only, which claim nothing.
      if (!ctx.request || (!settings.required && ctx.request.headers.get(IDEMPOTENCY_KEY_HEADER) === null)) return;
      // envelop types the arguments as `any` (it serves any GraphQL implementation): here they are graphql-js's.
      const operationArgs: Pick<ExecutionArgs, 'document' | 'operationName'> = args;
      const operation = getOperationAST(operationArgs.document, operationArgs.operationName ?? undefined);
      if (operation?.operation !== OperationTypeNode.MUTATION) return;
      return claim(ctx as Context & { request: Request }, rootFieldNames(operationArgs.document, operation), setResultAndStopExecution);
    },
    onResponse({ request, response, setResponse, fetchAPI, serverContext }) {
      const outcome = outcomes.get(request);
      if (!outcome) return;
      outcomes.delete(request);
      if (outcome.kind === 'run') return settle(db, log, outcome.claim, requestIdOf(serverContext, request), response);
      setResponse(new fetchAPI.Response(outcome.body, { status: outcome.status, headers: replayHeaders(response) }));
    },
  };
}

/** Decides a keyed mutation's fate: null: run as usual; an error: answer with it; an outcome: what onResponse must do. */
function admission(settings: Config['idempotency'], db: Db, log: Log, bodies: WeakMap<Request, RequestBody>) {
  const purgeWhenDue = purgeEvery(PURGE_INTERVAL_MS, db, log);
  return async function admit(ctx: Context, request: Request, fields: string[]): Promise<GraphQLError | Outcome | null> {
    const key = checkKey(settings, request, fields);
    if (key === null || key instanceof Error) return key;
    const body = bodies.get(request);
    if (!body) throw new Error('expected the body hash of a keyed mutation to be taken while parsing its POST, found none');
    // Repeated headers reach us joined ("a, b"): a valid-looking key no client sent.
    if (body.keyCount > 1) return badRequest(`Send one Idempotency-Key header: this request has ${body.keyCount}.`);
    const scope = ctx.viewer ? `user:${ctx.viewer.id}` : body.address ? `address:${body.address}` : null;
    if (scope === null) throw new Error('expected the client address of an anonymous keyed mutation, found none');
    await purgeWhenDue();
    return claimOutcome(db, settings, { scope, key, requestHash: body.hash });
  };
}

/**
 * Deletes expired keys at most once per `intervalMs`. Expired rows never block a claim (see
 * model), so purging is housekeeping: a failure is only logged.
 */
function purgeEvery(intervalMs: number, db: Db, log: Log): () => Promise<void> {
  let lastPurgeMs = -Infinity;
  return async () => {
    if (Date.now() - lastPurgeMs < intervalMs) return;
    lastPurgeMs = Date.now();
    await purgeExpiredKeys(db).catch((err: unknown) => log.warn({ err }, 'could not purge expired idempotency keys'));
  };
}

/** The key to claim; null when the mutation runs as usual (no key, or nothing to store); else the error to answer with. */
function checkKey(settings: Config['idempotency'], request: Request, fields: string[]): string | GraphQLError | null {
  const key = request.headers.get(IDEMPOTENCY_KEY_HEADER);
  const unstored = fields.filter((field) => UNSTORED_FIELDS.has(field));
  if (unstored.length === fields.length) return null;
  if (unstored.length > 0 && (key !== null || settings.required)) {
    // Storing the response would store the token; not storing it would not make the rest idempotent.
    return badRequest(
      `${unstored.join(' and ')} cannot share a request with other mutations when an Idempotency-Key is sent or required: send them separately.`,
    );
  }
  if (key === null) return settings.required ? idempotencyKeyRequired() : null;
  if (!VALID_KEY.test(key)) return badRequest('The Idempotency-Key header must be 1 to 255 printable ASCII characters.');
  if (isStreamedAnswer(request)) {
    // Its answer could not be kept (see isSuccess): the key would protect nothing, a retry would run again.
    return badRequest(
      'An Idempotency-Key needs an answer that can be stored and replayed: accept application/json (or application/graphql-response+json), not only text/event-stream or multipart/mixed.',
    );
  }
  return key;
}

async function claimOutcome(
  db: Db,
  settings: Config['idempotency'],
  request: { scope: string; key: string; requestHash: string },
): Promise<GraphQLError | Outcome> {
  const result = await claimKey(db, { ...request, leaseSeconds: settings.leaseSeconds, ttlSeconds: settings.ttlSeconds });
  switch (result.kind) {
    case 'claimed':
      return { kind: 'run', claim: result.claim };
    case 'replay':
      return result;
    case 'reused':
      return idempotencyKeyReused();
    case 'in-progress':
      return idempotencyKeyInProgress();
  }
}

/** The sha256 of the body, read from a copy: if reading fails (too large, aborted), null, and the parser fails the same way. */
async function bodyHash(request: Request): Promise<string | null> {
  const bytes = await request
    .clone()
    .arrayBuffer()
    .catch(() => null);
  return bytes && createHash('sha256').update(new Uint8Array(bytes)).digest('hex');
}

/** After the claimed run: a success (200, no errors) is kept for replays; anything else frees the key. */
async function settle(db: Db, log: Log, claim: Claim, requestId: string, response: Response): Promise<void> {
  try {
    const body = await response.clone().text();
    if (isSuccess(response, body)) await storeResponse(db, claim, response.status, body);
    else await releaseKey(db, claim);
  } catch (err) {
    // The client still gets its answer. An unstored success stays claimed until its lease runs out.
    log.error({ err, requestId }, 'could not settle an idempotency key');
  }
}

/**
 * A replay's headers: the placeholder's are kept (CORS, X-Request-ID and the negotiated content
 * type). Copied pair by pair: whatwg-node's Headers built from another one misses delete() of a name cased otherwise.
 */
function replayHeaders(placeholder: Response): [string, string][] {
  const headers: [string, string][] = [['Idempotency-Replay', 'true']];
  placeholder.headers.forEach((value, name) => {
    if (!/^content-(length|type)$/i.test(name)) headers.push([name, value]);
  });
  // The stored body is JSON (see isSuccess); so is the placeholder's type unless the client accepted only streams.
  const type = placeholder.headers.get('content-type') ?? '';
  headers.push(['Content-Type', JSON_TYPE.test(type) ? type : 'application/json; charset=utf-8']);
  return headers;
}

/** How many times the request carried the header: node keeps each one apart, fetch's Headers joins them. */
function headerCount(serverContext: unknown, name: string): number {
  const req = (serverContext as { req?: IncomingMessage } | null | undefined)?.req;
  return req?.headersDistinct[name]?.length ?? 1;
}

const JSON_ANSWERS = ['application/graphql-response+json', 'application/json'];
const STREAMED_ANSWERS = ['text/event-stream', 'multipart/mixed'];

/**
 * Whether yoga will stream the answer (SSE or multipart): as its result processors choose, JSON
 * whenever any accepted type (wildcards included) allows it, else a stream type the client accepts.
 */
function isStreamedAnswer(request: Request): boolean {
  const accepted = (request.headers.get('accept') || '*/*')
    .replace(/\s/g, '')
    .toLowerCase()
    .split(',')
    .flatMap((entry) => {
      const [type, ...params] = entry.split(';');
      const charset = params.find((param) => param.startsWith('charset='));
      return type && (!charset || charset === 'charset=utf-8') ? [type] : []; // yoga skips other charsets
    });
  const isAccepted = (type: string) => accepted.some((range) => matchesRange(range, type));
  return !JSON_ANSWERS.some(isAccepted) && STREAMED_ANSWERS.some(isAccepted);
}

function matchesRange(range: string, type: string): boolean {
  const [rangeMain, rangeSub] = range.split('/');
  const [main, sub] = type.split('/');
  return (rangeMain === '*' || rangeMain === main) && (rangeSub === '*' || rangeSub === sub);
}

/**
 * Only a JSON answer can be replayed as the same bytes to a client that negotiated JSON too;
 * the stored row has no room for a content type, so a streamed one (SSE, multipart) is not kept.
 */
function isSuccess(response: Response, body: string): boolean {
  if (response.status !== 200 || !JSON_TYPE.test(response.headers.get('content-type') ?? '')) return false;
  try {
    const parsed = JSON.parse(body) as { errors?: unknown[] };
    return !parsed.errors?.length;
  } catch {
    return false;
  }
}
