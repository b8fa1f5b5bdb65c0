// Slow and malformed clients (issue 11), before yoga ever sees a request. Node's http server cuts
// off a client whose headers or whole request take too long (a slow-loris holds sockets open a
// byte at a time), but checks only every connectionsCheckingInterval (30 s by default): set here
// from the timeouts, so the bound holds. Node's own answers to such clients (400, 408, 431) are
// bare; written here instead, with an X-Request-ID and a contract error body like every response.
import type { Server, ServerOptions, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from '../config.js';
import { errorBody, type ErrorCode } from '../errors.js';
import type { Log } from '../log.js';
import { chooseRequestId } from '../request/request-id.js';

/** A check every tenth of the headers timeout: a client is cut off within 110 % of it. */
const CHECKS_PER_TIMEOUT = 10;
/** @default 50 ms, 1000 ms: bounds of the checking interval (each check walks every open connection). */
const MIN_CHECK_MS = 50;
const MAX_CHECK_MS = 1000;

export function serverTimeouts(http: Config['http']): ServerOptions {
  return {
    headersTimeout: http.headersTimeoutMs,
    requestTimeout: http.requestTimeoutMs,
    // A load balancer that keeps idle connections to us longer than this sends a request as we
    // close one, and answers it 502: above its idle timeout, we never close first.
    keepAliveTimeout: http.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(MAX_CHECK_MS, Math.max(MIN_CHECK_MS, Math.floor(http.headersTimeoutMs / CHECKS_PER_TIMEOUT))),
  };
}

type Answer = { status: number; reason: string; code: ErrorCode; message: string };

/** What Node itself would answer for each error code (lib/_http_server.js), with our body. */
function answerFor(errorCode: string | undefined): Answer {
  switch (errorCode) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, reason: 'Request Header Fields Too Large', code: 'BAD_REQUEST', message: 'The request headers are too large.' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        reason: 'Payload Too Large',
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The chunk extensions of the request body are too large.',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        reason: 'Request Timeout',
        code: 'BAD_REQUEST',
        message: 'The request did not arrive in time: send it whole, without pauses.',
      };
    default:
      return { status: 400, reason: 'Bad Request', code: 'BAD_REQUEST', message: 'The request is not valid HTTP.' };
  }
}

/** Node's http server emits 'clientError' in place of answering itself once anyone listens. */
export function answerClientErrors(server: Server, log: Log): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // The response under way on this socket, if its headers were read (a body too slow or
    // malformed). Node keeps it there; no public API says it.
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    const incomingId = inFlight?.req.headers['x-request-id'];
    const requestId = chooseRequestId(typeof incomingId === 'string' ? incomingId : null);
    // As Node does: answer only if that response has not started (a keep-alive connection may be
    // mid-response), else the client would read our bytes as part of it.
    if (socket.writable && !inFlight?.headersSent) {
      const answer = answerFor(err.code);
      const body = errorBody(answer.message, answer.code);
      socket.write(
        `HTTP/1.1 ${answer.status} ${answer.reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-ID: ${requestId}\r\n\r\n${body}`,
      );
      log.info({ requestId, code: err.code, status: answer.status }, 'refused a malformed or too slow HTTP request');
    }
    // As Node does too: the connection is over (the parser cannot resync after an error).
    socket.destroy();
  });
}
