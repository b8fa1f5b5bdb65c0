// One subscription on a WebSocket, from its `subscribe` message to its first event: the
// persisted-operations lookup, parse, "subscriptions only", validation with every rule, the
// context, issue 6's guards, then envelop's subscribe. Anything refused before the first event
// is an `error` message (returned to graphql-ws's onSubscribe), never a closed socket.
import type { IncomingMessage } from 'node:http';
import { getOperationAST, GraphQLError, OperationTypeNode, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { Credentials } from '../auth/credentials.js';
import type { Context } from '../context.js';
import { badRequest, internalError, rateLimited } from '../errors.js';
import { boundErrorList } from '../bounded-errors.js';
import { withContractCode } from '../contract-code.js';
import type { Guards } from '../limits/guard.js';
import type { Log } from '../log.js';

/** What ws.ts puts in yoga's initial context; app.ts's context factory builds the Context from it. */
export type WebSocketInitialContext = {
  webSocket: { requestId: string; credentials: Credentials; socket: NonNullable<Context['socket']> };
};

/** Issue 6's guard rails (src/limits/guard.ts), as this transport calls them. */
export type OperationGuards = Pick<Guards, 'resolvePersisted' | 'chargeRequest' | 'admitOperation'>;

export type Enveloped = {
  parse(source: string): DocumentNode;
  validate(schema: unknown, document: DocumentNode): readonly GraphQLError[];
  /** The context, or a promise of it. */
  contextFactory(): unknown;
  subscribe(args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult>;
  schema: ExecutionArgs['schema'];
};

export type OperationOptions = {
  /** Where HTTP is served, for the message that sends queries and mutations there. */
  path: string;
  getEnveloped(initial: Record<string, unknown>): Enveloped;
  guards: OperationGuards;
};

/** One WebSocket connection, as ws.ts tracks it. */
export type Connection = {
  id: string;
  credentials: Credentials;
  address: string | null;
  closed: Promise<void>;
  operations: number;
  setups: number;
};

export type SocketExtra = { socket: WebSocket; request: IncomingMessage };

/** Errors for an `error` message, or the execution arguments whose rootValue carries the event stream. */
type Started = readonly GraphQLError[] | ExecutionArgs;

export async function startOperation(
  options: OperationOptions,
  connection: Connection,
  extra: SocketExtra,
  payload: SubscribePayload,
): Promise<Started> {
  const { guards } = options;
  // PERSISTED_OPERATIONS=only: the manifest's document in place of the one sent (or a refusal).
  const params = persistedParams(guards, payload);
  if (params instanceof GraphQLError) return [params];
  // The rate limit's first point before parsing, as over HTTP: over budget, nothing more is done.
  const claims = connection.credentials.kind === 'token' ? connection.credentials.claims : null;
  const identity = { userId: claims?.userId ?? null, clientAddress: connection.address };
  const charged = await guards.chargeRequest(identity);
  if (charged.retryAfterSeconds !== null) return [rateLimited(charged.retryAfterSeconds)];
  const enveloped = options.getEnveloped(initialContext(connection, extra, params));
  const document = parseSubscription(enveloped, params, options.path);
  if (!isDocument(document)) return document;
  const contextValue = await enveloped.contextFactory();

  // ── Issue 6's guard (src/limits/guard.ts): the one call for this transport, after parse and
  // validation (its depth check needs a valid document), before any SQL. Given the context, it
  // marks the operation admitted, so the envelop subscribe hook of useGuards does not charge it twice.
  const admission = await guards.admitOperation({
    document,
    variables: params.variables ?? null,
    operationName: params.operationName ?? null,
    identity,
    context: contextValue as object,
    charged,
  });
  if (!admission.ok) return [...admission.errors];
  return subscribe(enveloped, {
    schema: enveloped.schema,
    document,
    operationName: params.operationName,
    variableValues: params.variables,
    contextValue,
  });
}

function persistedParams(guards: OperationGuards, payload: SubscribePayload): SubscribePayload | GraphQLError {
  if (!guards.resolvePersisted) return payload;
  const persisted = guards.resolvePersisted(payload);
  return persisted instanceof GraphQLError ? persisted : { ...payload, query: persisted.query };
}

function initialContext(connection: Connection, extra: SocketExtra, params: SubscribePayload): Record<string, unknown> {
  const requestId = `${connection.id}:${++connection.operations}`;
  const socket = { close: (code: number, reason: string) => extra.socket.close(code, reason) };
  const initial: WebSocketInitialContext & Record<string, unknown> = {
    webSocket: { requestId, credentials: connection.credentials, socket },
    params,
    req: extra.request,
  };
  return initial;
}

/** The document, once parsed, found to be a subscription and valid; else the errors to answer with. */
function parseSubscription(enveloped: Enveloped, params: SubscribePayload, path: string): DocumentNode | readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = enveloped.parse(params.query);
  } catch (error) {
    return [asParseError(error)];
  }
  const operation = getOperationAST(document, params.operationName ?? undefined);
  if (operation && operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    const sent = operation.operation === OperationTypeNode.QUERY ? 'queries' : 'mutations';
    return [badRequest(`This WebSocket carries subscriptions only: send ${sent} over HTTP (POST ${path}).`)];
  }
  const errors = enveloped.validate(enveloped.schema, document);
  return errors.length > 0 ? boundErrorList(errors) : document;
}

/**
 * Subscribed here rather than by graphql-ws, so that a failure before the first event (a
 * missing post, a bad variable, a revoked token) is an `error` message, as guard errors are.
 */
async function subscribe(enveloped: Enveloped, args: ExecutionArgs): Promise<Started> {
  const result = await enveloped.subscribe(args);
  if (!isAsyncIterable(result)) return result.errors?.length ? [...result.errors] : [internalError()];
  return { ...args, rootValue: { stream: result } };
}

function isDocument(value: DocumentNode | readonly GraphQLError[]): value is DocumentNode {
  return !Array.isArray(value);
}

/** An error as the client gets it: the contract's code, nothing for HTTP; unexpected ones logged. */
export function forSocket(error: GraphQLError, connection: Connection | undefined, log: Log): GraphQLError {
  const original = error.originalError;
  if (original && !(original instanceof GraphQLError)) {
    const details = { err: original, connectionId: connection?.id, path: error.path?.join('.'), code: error.extensions.code };
    if (error.extensions.code === 'SERVICE_UNAVAILABLE') log.warn(details, 'database unavailable while serving a subscription');
    else log.error(details, 'unexpected error while serving a subscription');
  }
  const shaped = withContractCode(error);
  const { http: _http, ...extensions } = shaped.extensions as Record<string, unknown>;
  return new GraphQLError(shaped.message, {
    nodes: shaped.nodes,
    source: shaped.source,
    positions: shaped.positions,
    path: shaped.path,
    extensions,
  });
}

/** yoga adds GRAPHQL_PARSE_FAILED only for HTTP requests. */
function asParseError(error: unknown): GraphQLError {
  if (!(error instanceof GraphQLError)) throw error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { code: 'GRAPHQL_PARSE_FAILED', ...error.extensions },
  });
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    Symbol.asyncIterator in value &&
    typeof value[Symbol.asyncIterator] === 'function'
  );
}
