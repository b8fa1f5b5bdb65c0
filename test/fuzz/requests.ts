// HTTP requests for the fuzz test: methods, paths, headers (Accept, Content-Type, Authorization,
// Idempotency-Key, X-Request-ID), bodies (JSON of any shape, random bytes, invalid UTF-8) and GET
// query strings. Header values stay within what fetch can send (Latin-1, no CR/LF/NUL): anything
// else never reaches the server, so generating it would only waste runs.
import http from 'node:http';
import fc from 'fast-check';
import { anyValue, heavyJson } from './values.js';

export type FuzzRequest = { method: string; path: string; headers: Record<string, string>; body?: string | Uint8Array };

/** Latin-1 text fetch accepts as a header value (it trims surrounding spaces itself). */
const headerText = (maxLength: number) =>
  fc.string({
    maxLength,
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((code) => code !== 0x7f)
      .map((code) => String.fromCharCode(code)),
  });

const TYPES = [
  'application/json',
  'application/graphql-response+json',
  'text/html',
  'text/event-stream',
  'multipart/mixed',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'application/graphql',
  'application/octet-stream',
  '*/*',
  'application/*',
  'image/png',
];
const PARAMS = ['', '; charset=utf-8', '; charset=utf-16', '; charset=latin1', ';q=0.5', '; boundary=x', ';;', '; charset="utf-8"'];

/** A media type, well-formed or not, with or without parameters, or a list of them (Accept). */
const mediaType = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...TYPES), fc.constantFrom(...PARAMS)).map(([type, param]) => type + param) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...TYPES), fc.constantFrom(...TYPES)).map(([a, b]) => `${a}, ${b};q=0.9`) },
  { weight: 1, arbitrary: fc.mixedCase(fc.constantFrom('application/json', 'application/graphql-response+json')) },
  { weight: 1, arbitrary: headerText(40) },
);

/** `valid`: tokens the server accepts; `dead`: ones it once issued (revoked by logOut, or of a deleted user). */
export type Tokens = { valid: string[]; dead: string[] };

/** Authorization values: a real token, its near misses, other schemes, garbage. */
export function authorization(tokens: Tokens): fc.Arbitrary<string> {
  const jwtPart = fc.base64String({ maxLength: 40 }).map((text) => text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"1"}').toString('base64url')}.`;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...tokens.valid).map((token) => `Bearer ${token}`) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(...tokens.valid)
        .chain((token) =>
          fc.constantFrom(
            `bearer ${token}`,
            `Bearer ${token}x`,
            `Bearer  ${token}`,
            `Bearer ${token} ${token}`,
            `Bearer ${token.slice(0, -2)}`,
            `Basic ${token}`,
            token,
          ),
        ),
    },
    { weight: 1, arbitrary: fc.constantFrom(...tokens.dead).map((token) => `Bearer ${token}`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'Bearer',
        'Bearer ',
        'Bearer garbage',
        `Bearer ${none}`,
        'Basic dXNlcjpwYXNz',
        'Bearer a.b.c',
        'Bearer ...',
      ),
    },
    { weight: 1, arbitrary: fc.tuple(jwtPart, jwtPart, jwtPart).map((parts) => `Bearer ${parts.join('.')}`) },
    { weight: 1, arbitrary: headerText(300) },
  );
}

/** The headers this server reads, each present or not, each plausible or garbage. */
export function headers(tokens: Tokens): fc.Arbitrary<Record<string, string>> {
  const requestId = fc.oneof(fc.stringMatching(/^[A-Za-z0-9\-_.:]{1,128}$/), headerText(200));
  const idempotencyKey = fc.oneof(fc.stringMatching(/^[!-~]{1,255}$/), headerText(300));
  return fc.record(
    {
      accept: mediaType,
      'content-type': mediaType,
      authorization: authorization(tokens),
      'idempotency-key': idempotencyKey,
      'x-request-id': requestId,
      'if-none-match': fc.oneof(fc.constantFrom('*', '""', 'W/"x"'), headerText(60)),
      origin: fc.constantFrom('http://example.com', 'null', 'https://evil.test'),
    },
    { requiredKeys: [] },
  );
}

/** Methods Node's HTTP parser knows (it refuses others itself: see `unknownMethod`). */
export const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'POST') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'PURGE', 'MKCOL', 'QUERY', 'SEARCH', 'LINK'),
  },
);

/** Methods no HTTP parser knows (fetch refuses to send TRACE, TRACK and CONNECT at all). */
export const unknownMethod = fc
  .stringMatching(/^[A-Z]{1,8}$/)
  .filter((name) => !NODE_METHODS.has(name) && !['CONNECT', 'TRACE', 'TRACK'].includes(name));
const NODE_METHODS = new Set(http.METHODS);

/** A URL or header over Node's 16 KiB header limit: refused before any plugin runs. */
export const oversizedHeaders = fc.oneof(
  fc.integer({ min: 17_000, max: 40_000 }).map((length) => ({ path: `/graphql?query=${'x'.repeat(length)}`, headers: {} })),
  fc
    .integer({ min: 17_000, max: 40_000 })
    .map((length) => ({ path: '/graphql', headers: { authorization: `Bearer ${'x'.repeat(length)}` } })),
);

export const path = fc.oneof(
  { weight: 8, arbitrary: fc.constant('/graphql') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '/graphql/',
      '/GRAPHQL',
      '/graphql/x',
      '/graphql;x',
      '//graphql',
      '/graphql%00',
      '/health',
      '/ready',
      '/metrics',
      '/',
      '/favicon.ico',
      '/graphql/../health',
      '/graphiql',
    ),
  },
  { weight: 1, arbitrary: fc.webPath() },
);

/** A valid JSON body with `\xC0`, `\xFF`, a lone-surrogate encoding or a cut sequence spliced in. */
export function invalidUtf8(valid: string): fc.Arbitrary<Uint8Array> {
  const bytes = Buffer.from(valid);
  const bad = fc.constantFrom([0xc0], [0xff], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0x80], [0x80]);
  return fc
    .tuple(fc.nat({ max: Math.max(bytes.length, 1) }), bad)
    .map(([at, seq]) => Buffer.concat([bytes.subarray(0, at), Buffer.from(seq), bytes.subarray(at)]));
}

const querySource = (documents: fc.Arbitrary<string>) =>
  fc.oneof(documents, fc.constantFrom('{ __typename }', '{ viewer { id } }', 'mutation { logOut }', '{', ''), fc.string({ maxLength: 30 }));

/** Bodies of every kind, from the request a client sends to bytes no client would. */
export function body(documents: fc.Arbitrary<string>): fc.Arbitrary<string | Uint8Array> {
  const fields = fc.record(
    {
      query: fc.oneof(querySource(documents), anyValue),
      variables: anyValue,
      operationName: fc.oneof(fc.string({ maxLength: 8 }), anyValue),
      extensions: anyValue,
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 4, arbitrary: fields.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.array(fields, { maxLength: 3 }).map((batch) => JSON.stringify(batch)) },
    { weight: 1, arbitrary: anyValue.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: heavyJson().map((json) => `{"query":"{ __typename }","extensions":${json}}`) },
    { weight: 2, arbitrary: fields.chain((value) => invalidUtf8(JSON.stringify(value))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) },
    { weight: 1, arbitrary: querySource(documents) },
  );
}

/** A GET query string: the GraphQL parameters, each well-formed, not JSON, or not even percent-encoded. */
export function queryString(documents: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const encoded = (value: fc.Arbitrary<string>) =>
    fc.oneof(
      { weight: 4, arbitrary: value.map(encodeURIComponent) },
      { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%C0%80', '%ED%A0%80', '%00', '+', '&&', '==') },
    );
  // Kept under Node's 16 KiB header limit once percent-encoded: longer URLs are refused before the
  // app sees them (the `oversized` generator's subject).
  const json = fc.oneof(
    anyValue.map((value) => JSON.stringify(value)),
    heavyJson({ levels: 300, keys: 150, length: 600 }),
    fc.string({ maxLength: 10 }),
  );
  const param = fc.oneof(
    encoded(querySource(documents)).map((value) => `query=${value}`),
    encoded(json).map((value) => `variables=${value}`),
    encoded(json).map((value) => `extensions=${value}`),
    encoded(fc.string({ maxLength: 8 })).map((value) => `operationName=${value}`),
    fc
      .tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }))
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`),
  );
  return fc.array(param, { maxLength: 5 }).map((params) => (params.length ? `?${params.join('&')}` : ''));
}
