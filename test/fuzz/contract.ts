// What every answer of the fuzzed server must satisfy, whatever was sent: the contract's error
// codes and statuses (../shared/api/README.md), masked internals, bounded answers, request ids.
// check() returns every broken rule at once, so one failing run says all that is wrong with it.
import type { FuzzRequest } from './requests.js';

export const CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'NOT_FOUND',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONFLICT',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_MISMATCH',
  'PERSISTED_QUERY_ONLY',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_IN_PROGRESS',
  'IDEMPOTENCY_KEY_REQUIRED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
]);
const MASKED = 'Something went wrong on our side; it has been logged.';
const UNAVAILABLE = 'The database is unavailable right now; try again shortly.';
/** Statuses whose errors the contract names. */
const CODES_BY_STATUS: Record<number, string[]> = {
  404: ['NOT_FOUND'],
  405: ['BAD_REQUEST'],
  406: ['BAD_REQUEST'],
  409: ['IDEMPOTENCY_KEY_IN_PROGRESS'],
  413: ['PAYLOAD_TOO_LARGE'],
  415: ['BAD_REQUEST'],
  422: ['IDEMPOTENCY_KEY_REUSED'],
  429: ['RATE_LIMITED'],
  503: ['SERVICE_UNAVAILABLE'],
};
/** Internals a client must never see: stack frames, SQL and Postgres' wording, paths of our files. */
const LEAKS =
  /\n\s+at |\bat \S+ \(|\.[cm]?[jt]s:\d+|node_modules|\/src\/|\/dist\/|file:\/\/|\bselect\b[^"]{0,200}\bfrom "|insert into "|relation "|column "|syntax error at or near|violates .* constraint|duplicate key value|ECONNREFUSED|TypeError|ReferenceError|RangeError|Cannot read propert|is not a function|undefined|\[object Object\]/i;
/**
 * 201 times the same character in a message: the server quoting a client's long value (bounded
 * answers: at most 200 characters of it). An escape (`\\`, `\u0000`) counts as the one character it stands for.
 */
const QUOTED_AT_LENGTH = /(\\u[0-9a-fA-F]{4}|\\[^u]|[^\\])\1{200,}/u;
const PLAIN_ID = /^[A-Za-z0-9\-_.:]{1,128}$/;
const LIMIT_BYTES = 64 * 1024;
const JSON_TYPE = /^application\/(graphql-response\+)?json\b/i;

export type Answer = { status: number; headers: Headers; bytes: number; text: string; streamed: boolean };

/** `headersRead: false` for a request Node's parser refused: no header of it was read, so none can be echoed. */
export function check(request: FuzzRequest, answer: Answer, { headersRead = true } = {}): string[] {
  const broken: string[] = [];
  const { status, headers, text } = answer;
  // 431: Node's parser stopped inside the headers, so it never read the X-Request-ID either.
  if (status === 431) headersRead = false;
  if (status >= 500 && status !== 503) broken.push(`status ${status}: no 5xx but 503`);

  // HTTP trims spaces and tabs around a header value (not NBSP, which String.prototype.trim would).
  const sentId = request.headers['x-request-id']?.replace(/^[ \t]+|[ \t]+$/g, '');
  const id = headers.get('x-request-id');
  if (!id || !PLAIN_ID.test(id)) broken.push(`X-Request-ID ${JSON.stringify(id)} is not a plain id`);
  else if (headersRead && sentId && PLAIN_ID.test(sentId) && id !== sentId)
    broken.push(`X-Request-ID ${id} instead of the plain ${sentId} sent`);

  const hasBody = request.method !== 'HEAD' && status !== 304 && status !== 204;
  if (!hasBody || answer.streamed) return broken; // a stream is checked event by event (checkEvents)
  const type = headers.get('content-type') ?? '';
  let body: any;
  if (JSON_TYPE.test(type)) {
    try {
      body = JSON.parse(text);
    } catch {
      broken.push(`a ${type} body that is not JSON`);
    }
  }
  if (status >= 400 && !Array.isArray(body?.errors))
    broken.push(`an error status (${status}) without a JSON { errors } body (${type || 'no content-type'})`);
  if (body && typeof body === 'object') broken.push(...checkBody(body, answer));
  const allowed = CODES_BY_STATUS[status];
  const codes: unknown[] = Array.isArray(body?.errors) ? body.errors.map((error: any) => error?.extensions?.code) : [];
  if (allowed && codes.some((code) => !allowed.includes(code as string)))
    broken.push(`status ${status} with codes ${codes.join(', ')} (expected ${allowed.join(' or ')})`);
  if (codes.includes('RATE_LIMITED') && status !== 429) broken.push(`RATE_LIMITED with status ${status}`);
  if (status === 429) broken.push(...checkRateLimited(body, headers));
  return broken;
}

/** The GraphQL response body: codes, masking, bounded size and quoting. */
export function checkBody(body: any, answer: Pick<Answer, 'bytes'>): string[] {
  const broken: string[] = [];
  const errors: any[] = Array.isArray(body.errors) ? body.errors : [];
  if ('errors' in body && (!Array.isArray(body.errors) || errors.length === 0)) broken.push('`errors` present but not a non-empty list');
  for (const error of errors) {
    const code = error?.extensions?.code;
    const message = String(error?.message);
    if (!CODES.has(code)) broken.push(`an error without a contract code (${JSON.stringify(code)}): ${message.slice(0, 200)}`);
    if (code === 'INTERNAL_SERVER_ERROR')
      broken.push(
        message === MASKED
          ? 'an INTERNAL_SERVER_ERROR (masked): the server failed on this input'
          : `INTERNAL_SERVER_ERROR with an unmasked message: ${message.slice(0, 300)}`,
      );
    if (code === 'SERVICE_UNAVAILABLE' && message !== UNAVAILABLE)
      broken.push(`SERVICE_UNAVAILABLE with another message: ${message.slice(0, 300)}`);
    if (
      code === 'BAD_USER_INPUT' &&
      !(
        Array.isArray(error.extensions.details) &&
        error.extensions.details.every((d: any) => typeof d?.field === 'string' && typeof d?.message === 'string')
      )
    )
      broken.push(`BAD_USER_INPUT without details [{ field, message }]: ${message.slice(0, 200)}`);
    // The message as the client reads it (unescaped), then everything else the error carries.
    const shown = `${message}\n${JSON.stringify({ ...error, message: undefined })}`;
    const leak = LEAKS.exec(shown);
    if (leak)
      broken.push(`an error shows internals (${JSON.stringify(leak[0])}): ${shown.slice(Math.max(0, leak.index - 100), leak.index + 200)}`);
    if (QUOTED_AT_LENGTH.test(message)) broken.push(`an error quotes an input at length (over 200 characters): ${message.slice(0, 200)}…`);
  }
  const dataBytes = body.data == null ? 0 : Buffer.byteLength(JSON.stringify(body.data));
  if (answer.bytes - dataBytes > LIMIT_BYTES)
    broken.push(`a ${answer.bytes}-byte answer, ${answer.bytes - dataBytes} bytes besides data (limit ${LIMIT_BYTES})`);
  return broken;
}

function checkRateLimited(body: any, headers: Headers): string[] {
  const broken: string[] = [];
  const retryAfter = headers.get('retry-after');
  if (!retryAfter || !/^\d+$/.test(retryAfter)) broken.push(`429 with Retry-After ${JSON.stringify(retryAfter)}`);
  const error = body?.errors?.[0];
  if (error?.extensions?.code !== 'RATE_LIMITED' || typeof error.extensions.retryAfter !== 'number')
    broken.push(`429 without RATE_LIMITED and extensions.retryAfter: ${JSON.stringify(body ?? null).slice(0, 300)}`);
  else if (retryAfter && Number(retryAfter) !== error.extensions.retryAfter)
    broken.push(`Retry-After ${retryAfter} but extensions.retryAfter ${error.extensions.retryAfter}`);
  return broken;
}
