// Which database failures mean "the database is unavailable right now" (503, try again) rather
// than a bug: the server unreachable, a connection lost, the pool out of time, a statement
// cancelled by statement_timeout, no answer within query_timeout. Matched on error codes; pg's
// pool and client raise their own failures without one, so those are matched on their fixed messages.
import { causeChain } from './error-causes.js';

const UNAVAILABLE_SQLSTATES = new Set([
  '57014', // query_canceled: statement_timeout
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006', // connection exceptions
]);
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const POOL_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Query read timeout', // the client's query_timeout
  'timeout expired', // a client's own connect timeout (the pool says 'timeout exceeded…')
];

export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of causeChain(error)) {
    // Driver and pool failures are Errors: a chain that leaves them says no more about the database.
    if (!(e instanceof Error)) break;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return true;
    if (POOL_MESSAGES.some((m) => e.message.startsWith(m))) return true;
  }
  return false;
}
