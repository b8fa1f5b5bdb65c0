// GraphQL over WebSocket: graphql-ws (subprotocol graphql-transport-ws) on the HTTP server's port
// and path, for subscriptions only. Every operation goes through yoga's envelop (getEnveloped) as
// over HTTP: the same parse (and its token limit), validation with every rule (graphql-ws skips
// validation when onSubscribe hands it arguments, so it is called here), context, plugins'
// subscribe hooks (authentication) and error masking. The socket's own rules: the token comes
// in connection_init (invalid → close 4403), an init timeout (4408), keep-alive pings, a frame
// limit (1009), at most N subscriptions per connection and N connections per client address;
// a socket whose token logOut revokes, or whose user is deleted, closes with 4403 too (issue 11).
// This module keeps the connections; ws-operation.ts starts each subscription on one.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST, type ExecutionArgs, type ExecutionResult, type GraphQLError } from 'graphql';
import { withContractCode } from '../contract-code.js';
import type { ServerOptions, Context as WsContext, SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Credentials } from '../auth/credentials.js';
import type { Config } from '../config.js';
import { badRequest, errorBody, internalError } from '../errors.js';
import { clientAddressOf, type ProxyTrust } from '../request/client-address.js';
import type { Log } from '../log.js';
import { clipName } from '../telemetry/request-record.js';
import {
  forSocket,
  startOperation,
  type Connection,
  type OperationGuards,
  type OperationOptions,
  type SocketExtra,
} from './ws-operation.js';

export type { OperationGuards, WebSocketInitialContext } from './ws-operation.js';

export type WebSocketOptions = {
  server: Server;
  path: string;
  getEnveloped: OperationOptions['getEnveloped'];
  /** Reads connection_init's token; refusing returns false (then the socket closes with 4403). */
  authenticate(authorization: string | undefined): Promise<Credentials | false>;
  guards: OperationGuards;
  settings: Config['realtime'];
  maxPayloadBytes: number;
  trust: ProxyTrust;
  log: Log;
  /** Told of each connection refused for the per-address cap (the metrics' rate_limit_refusals_total). */
  refused(kind: 'websocket_connections'): void;
};

export type WebSocketTransport = {
  /** Closes (4403) every socket signed in as `userId` with a token older than `tokenVersion`. */
  revoke(userId: number, tokenVersion: number): void;
  /** Shutdown, first step: no new connection or subscription. */
  refuse(): void;
  /** WebSockets open now, for the metrics. */
  openCount(): number;
  /** Shutdown, last step: once setups under way are done, close every socket with 1001 (until the deadline). */
  close(deadline: number): Promise<void>;
};

/** @default 20 ms: how often close() looks whether setups under way are done. */
const POLL_MS = 20;

/** The code graphql-ws closes with for a refused connection_init token; a revoked one gets it too. */
const FORBIDDEN_CLOSE_CODE = 4403;

/**
 * @default 60000 ms: how long a revocation is remembered, for a socket whose token check read the
 * database just before the revoking transaction committed and finishes after its message came.
 */
const REVOCATION_MEMORY_MS = 60_000;

/** What the transport's parts share: the open sockets, the revocations seen, and whether it is stopping. */
type TransportState = {
  connections: Map<WebSocket, Connection>;
  revocations: Revocations;
  isStopping: boolean;
};

export function attachWebSocket(options: WebSocketOptions): WebSocketTransport {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const state: TransportState = { connections: new Map(), revocations: createRevocations(), isStopping: false };
  options.server.on('upgrade', upgradeHandler(options, wss, state));
  const server = useServer<Record<string, unknown>, SocketExtra>(protocolHandlers(options, state), wss, options.settings.keepAliveMs);
  return {
    openCount: () => wss.clients.size,
    revoke(userId, tokenVersion) {
      state.revocations.remember(userId, tokenVersion);
      for (const [ws, connection] of state.connections) {
        if (state.revocations.isRevoked(connection.credentials)) ws.close(FORBIDDEN_CLOSE_CODE, 'Forbidden: the token was revoked');
      }
    },
    refuse: () => void (state.isStopping = true),
    async close(deadline) {
      state.isStopping = true;
      await closeConnections(state.connections, deadline);
      await server.dispose();
    },
  };
}

type Revocations = {
  remember(userId: number, tokenVersion: number): void;
  /** Whether these credentials carry a token revoked within the last REVOCATION_MEMORY_MS. */
  isRevoked(credentials: Credentials): boolean;
};

function createRevocations(): Revocations {
  const recent = new Map<number, { tokenVersion: number; until: number }>();
  return {
    remember(userId, tokenVersion) {
      const now = Date.now();
      for (const [id, revocation] of recent) if (revocation.until <= now) recent.delete(id);
      const known = recent.get(userId)?.tokenVersion ?? 0;
      recent.set(userId, { tokenVersion: Math.max(known, tokenVersion), until: now + REVOCATION_MEMORY_MS });
    },
    isRevoked(credentials) {
      if (credentials.kind !== 'token') return false;
      const revocation = recent.get(credentials.claims.userId);
      return !!revocation && revocation.until > Date.now() && credentials.claims.tokenVersion < revocation.tokenVersion;
    },
  };
}

/** The HTTP server's `upgrade` listener: refuses what it must, else hands the socket to graphql-ws. */
function upgradeHandler(options: WebSocketOptions, wss: WebSocketServer, state: TransportState) {
  const { settings } = options;
  const perAddress = new Map<string, number>();
  return (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== options.path)
      return refuseUpgrade(socket, 404, 'NOT_FOUND', `Nothing here: GraphQL over WebSocket is at ${options.path}.`);
    if (state.isStopping) return refuseUpgrade(socket, 503, 'SERVICE_UNAVAILABLE', 'The server is shutting down: connect again.');
    const address = clientAddressOf(request, options.trust);
    if (!countConnection(perAddress, address ?? 'unknown', socket, settings.maxConnectionsPerAddress)) {
      options.refused('websocket_connections');
      return refuseUpgrade(
        socket,
        429,
        'RATE_LIMITED',
        `At most ${settings.maxConnectionsPerAddress} WebSocket connections per client: close one first.`,
      );
    }
    wss.handleUpgrade(request, socket, head, (ws) => acceptSocket(wss, ws, request, address, state.connections, options.log));
  };
}

/**
 * Counts one more connection from `key` unless it has `max` already. Counted from the upgrade on,
 * by the TCP socket's life, so a failed handshake is uncounted too.
 */
function countConnection(perAddress: Map<string, number>, key: string, socket: Duplex, max: number): boolean {
  const count = perAddress.get(key) ?? 0;
  if (count >= max) return false;
  perAddress.set(key, count + 1);
  socket.once('close', () => {
    const left = (perAddress.get(key) ?? 1) - 1;
    if (left > 0) perAddress.set(key, left);
    else perAddress.delete(key);
  });
  return true;
}

function acceptSocket(
  wss: WebSocketServer,
  ws: WebSocket,
  request: IncomingMessage,
  address: string | null,
  connections: Map<WebSocket, Connection>,
  log: Log,
): void {
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  connections.set(ws, { id: randomUUID(), credentials: { kind: 'anonymous' }, address, closed, operations: 0, setups: 0 });
  void closed.then(() => connections.delete(ws));
  wss.emit('connection', ws, request);
  // A protocol error (a frame over maxPayload: 1009, a malformed frame: 1002) is the client's:
  // ws has already closed the socket with its code. graphql-ws would log it to the console as
  // an internal error and try to close with 4500; logged here instead, once, as what it is.
  ws.removeAllListeners('error');
  ws.on('error', (err) =>
    log.info({ err: { message: err.message }, connectionId: connections.get(ws)?.id }, 'WebSocket closed for a protocol error'),
  );
}

type SocketContext = WsContext<Record<string, unknown>, SocketExtra>;

/** A subscription that started, until it ends: its log line's fields. */
type Running = { line: SubscribeLine; startedAt: number; events: number };

/** graphql-ws's hooks: connection_init's token, each subscribe, and errors shaped as over HTTP. */
function protocolHandlers(options: WebSocketOptions, state: TransportState): ServerOptions<Record<string, unknown>, SocketExtra> {
  const { connections } = state;
  const { log } = options;
  // By socket, not by connection: graphql-ws completes a socket's subscriptions after its 'close',
  // when the connection has left `connections`.
  const running = new WeakMap<WebSocket, Map<string, Running>>();
  return {
    connectionInitWaitTimeout: options.settings.connectionInitTimeoutMs,
    onConnect: (ctx) => authenticateSocket(options, state, ctx),
    onSubscribe: async (ctx, id, payload) => {
      const started = await subscribeOnSocket(options, state, ctx, id, payload);
      if (!Array.isArray(started.result)) {
        const bySocket = running.get(ctx.extra.socket) ?? new Map<string, Running>();
        running.set(ctx.extra.socket, bySocket.set(id, { line: started.line, startedAt: performance.now(), events: 0 }));
      }
      return started.result;
    },
    subscribe: (args) => (args.rootValue as { stream: AsyncIterable<ExecutionResult> }).stream,
    onNext: (ctx, id, _payload, _args, result) => {
      const subscription = running.get(ctx.extra.socket)?.get(id);
      if (subscription) subscription.events++;
      if (!result.errors?.length) return;
      return { ...result, errors: result.errors.map((error) => forSocket(error, connections.get(ctx.extra.socket), log)) };
    },
    onError: (ctx, _id, _payload, errors) => errors.map((error) => forSocket(error, connections.get(ctx.extra.socket), log).toJSON()),
    // Called for every subscription that started, however it ends: completed by either side, or its socket closed.
    onComplete: (ctx, id) => {
      const bySocket = running.get(ctx.extra.socket);
      const subscription = bySocket?.get(id);
      if (!subscription) return;
      bySocket!.delete(id);
      log.info(
        {
          ...subscription.line,
          durationMs: Math.round(performance.now() - subscription.startedAt),
          events: subscription.events,
          endedBy: ctx.extra.socket.readyState === ctx.extra.socket.OPEN ? 'complete' : 'socket closed',
        },
        'subscription ended',
      );
    },
  };
}

/** connection_init: whether its token (if any) is valid and not revoked. */
async function authenticateSocket(options: WebSocketOptions, state: TransportState, ctx: SocketContext): Promise<boolean> {
  const connection = state.connections.get(ctx.extra.socket);
  if (!connection) return false;
  const authorization = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
  if (authorization !== undefined && authorization !== null && typeof authorization !== 'string') return false;
  try {
    const credentials = await options.authenticate(authorization ?? undefined);
    if (!credentials || state.revocations.isRevoked(credentials)) return false;
    connection.credentials = credentials;
    return true;
  } catch (err) {
    // The database did not answer the token check: not the client's fault, so a code it retries on.
    options.log.warn({ err, connectionId: connection.id }, 'could not check a WebSocket token');
    ctx.extra.socket.close(1013, 'Try again later');
    return false;
  }
}

type Started = Awaited<ReturnType<typeof startOperation>>;

async function subscribeOnSocket(
  options: WebSocketOptions,
  state: TransportState,
  ctx: SocketContext,
  id: string,
  payload: SubscribePayload,
): Promise<{ result: Started; line: SubscribeLine }> {
  const { settings, log } = options;
  const connection = state.connections.get(ctx.extra.socket)!;
  const line = subscribeLine(options, connection, id, payload);
  const refuse = (message: string) => {
    const result = [badRequest(message)];
    logSubscribe(log, line, result, 0);
    return { result, line };
  };
  // Refused while stopping: the socket closes with 1001 soon, and clients subscribe again elsewhere.
  if (state.isStopping) return connection.closed.then(() => refuse('The server is shutting down.'));
  if (Object.keys(ctx.subscriptions).length > settings.maxSubscriptionsPerConnection)
    return refuse(`At most ${settings.maxSubscriptionsPerConnection} subscriptions at once per connection: complete one first.`);
  connection.setups++;
  const startedAt = performance.now();
  let result: Started = [internalError()];
  try {
    result = await startOperation(options, connection, ctx.extra, payload);
    // As over HTTP, a named operation is named by its document when the message does not say.
    if (!Array.isArray(result) && line.operationName === null) line.operationName = operationNameOf(result as ExecutionArgs);
  } catch (err) {
    log.error({ err, connectionId: connection.id }, 'unexpected error while starting a subscription');
  } finally {
    connection.setups--;
    logSubscribe(log, line, result, performance.now() - startedAt);
  }
  return { result, line };
}

/** What both of a subscription's lines say of it (never its variables). */
type SubscribeLine = {
  connectionId: string;
  /** The client's id for it on this socket: pairs the "request" line with the "subscription ended" one. */
  subscriptionId: string;
  transport: 'websocket';
  path: string;
  operationName: string | null;
  operationType: 'subscription';
  userId: number | null;
};

function subscribeLine(options: WebSocketOptions, connection: Connection, id: string, payload: SubscribePayload): SubscribeLine {
  return {
    connectionId: connection.id,
    subscriptionId: clipName(id),
    transport: 'websocket',
    path: options.path,
    operationName: typeof payload.operationName === 'string' ? clipName(payload.operationName) : null,
    operationType: 'subscription',
    userId: connection.credentials.kind === 'token' ? connection.credentials.claims.userId : null,
  };
}

function operationNameOf({ document, operationName }: ExecutionArgs): string | null {
  return clipName(getOperationAST(document, operationName)?.name?.value ?? null);
}

/**
 * A subscribe message is this transport's request: one line, as HTTP requests have
 * (src/telemetry/plugin.ts), once it is started or refused; a second when a started one ends.
 */
function logSubscribe(log: Log, line: SubscribeLine, result: Started, durationMs: number) {
  const errors = Array.isArray(result) ? (result as readonly GraphQLError[]) : [];
  log.info(
    {
      ...line,
      durationMs: Math.round(durationMs * 10) / 10,
      errorCodes: errors.length > 0 ? errors.map((error) => String(withContractCode(error).extensions.code)) : undefined,
    },
    'request',
  );
}

/** Once setups under way are done (or the deadline passed), closes every socket with 1001; terminates those still open at the deadline. */
async function closeConnections(connections: Map<WebSocket, Connection>, deadline: number): Promise<void> {
  const busy = () => [...connections.values()].some((connection) => connection.setups > 0);
  while (busy() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  const closing = [...connections.values()].map((connection) => connection.closed);
  for (const ws of connections.keys()) ws.close(1001, 'Going away');
  const timer = setTimeout(() => [...connections.keys()].forEach((ws) => ws.terminate()), Math.max(0, deadline - Date.now()));
  await Promise.all(closing);
  clearTimeout(timer);
}

/** An HTTP answer to an upgrade that is not accepted, as a GraphQL error body like every other. */
function refuseUpgrade(socket: Duplex, status: number, code: Parameters<typeof errorBody>[1], message: string): void {
  const body = errorBody(message, code);
  const reason = { 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
