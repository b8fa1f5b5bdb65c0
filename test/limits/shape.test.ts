// Shape limits: aliases, directives, tokens (the parser's), the body size, batching, and field
// suggestions in production. Each refused before any SQL.
import net from 'node:net';
import { beforeAll, describe, expect, test } from 'vitest';
import { errorOf } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});

describe('aliases', () => {
  test('30 aliased fields pass, 31 are refused with the limit', async () => {
    expect((await app.query(aliases(30))).errors).toBeUndefined();
    const res = await app.query(aliases(31));
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 30 });
    expect(res.statements).toBe(0);
  });

  test('aliases in a fragment count at every spread', async () => {
    const res = await app.query(
      `{ a: viewer { ...F } b: viewer { ...F } } fragment F on User { ${Array.from({ length: 15 }, (_, i) => `n${i}: name`).join(' ')} }`,
    );
    expect(errorOf(res).message).toContain('32 aliased fields');
  });
});

describe('directives', () => {
  test('more than 50 directives are refused', async () => {
    const res = await app.query(
      `query($t: Boolean = true) { ${Array.from({ length: 51 }, (_, i) => `f${i}: __typename @include(if: $t)`).join(' ')} }`,
      undefined,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(res.statements).toBe(0);
  });
});

describe('tokens', () => {
  test('a document over 2,000 tokens fails to parse, whatever follows', async () => {
    const res = await app.query(`{ ${'__typename '.repeat(2500)} }`);
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', message: expect.stringContaining('2000 tokens') });
  });

  test('MAX_TOKENS sets the limit', async () => {
    const strict = await startTestApp({ env: { MAX_TOKENS: '10' } });
    expect((await strict.query(`{ viewer { id } }`)).errors).toBeUndefined();
    expect(errorOf(await strict.query(`{ viewer { id name email createdAt postsCount followersCount } }`)).code).toBe(
      'GRAPHQL_PARSE_FAILED',
    );
  });
});

describe('the request body', () => {
  test('a body over 1 MiB is 413 PAYLOAD_TOO_LARGE with X-RateLimit headers, and the server is unharmed', async () => {
    const res = await app.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(body.errors[0].extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: 1024 * 1024 });
    expect(res.headers.get('x-ratelimit-limit')).toBe('10000');
    expect((await app.query(`{ __typename }`)).status).toBe(200);
  });

  test('a chunked body (no Content-Length) is counted as it arrives: over the limit is 413 too', async () => {
    const strict = await startTestApp({ env: { MAX_BODY_BYTES: '1024' } });
    const chunked = (text: string) =>
      strict.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: new ReadableStream({
          start: (c) => {
            c.enqueue(new TextEncoder().encode(text));
            c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
    const small = await chunked(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(900) } }));
    expect(small.status).toBe(200);
    const large = await chunked(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1100) } }));
    expect(large.status).toBe(413);
    expect((await large.json()).errors[0].extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: 1024 });
    // The rest of that body is never read: the connection closes, so the next request is answered on a new one.
    for (let round = 0; round < 3; round++) {
      expect((await chunked(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } }))).status).toBe(
        413,
      );
      expect((await strict.query(`{ __typename }`)).status).toBe(200);
    }
  });

  test('a Content-Length that is not one byte count is BAD_REQUEST', async () => {
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const socket = net.connect(Number(app.url.port), app.url.hostname, () => {
        socket.end(
          'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20, 20\r\nConnection: close\r\n\r\n{"query":"{ a }"}   ',
        );
      });
      let text = '';
      socket
        .on('data', (chunk: Buffer) => (text += chunk.toString()))
        .on('end', () => resolve({ status: Number(text.split(' ')[1]), body: text }))
        .on('error', reject);
    });
    expect(res.status).toBe(400);
  });

  test('MAX_BODY_BYTES sets the limit', async () => {
    const strict = await startTestApp({ env: { MAX_BODY_BYTES: '1024' } });
    expect((await strict.query(`{ __typename }`, { pad: 'x'.repeat(900) })).status).toBe(200);
    const res = await strict.query(`{ __typename }`, { pad: 'x'.repeat(1100) });
    expect(res.status).toBe(413);
    expect(errorOf(res).code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('batching is off: an array of operations is BAD_REQUEST', async () => {
    const res = await app.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('field suggestions', () => {
  test('outside production, a typo gets "Did you mean"', async () => {
    expect(errorOf(await app.query(`{ viewr { id } }`)).message).toContain('Did you mean "viewer"');
  });

  test('in production they are gone, from validation and variable errors alike', async () => {
    const production = await startTestApp({ env: { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-chars' } });
    const typo = errorOf(await production.query(`{ viewr { id } }`));
    expect(typo).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', message: 'Cannot query field "viewr" on type "Query".' });
    const input = await production.query(`mutation($input: LogInInput!) { logIn(input: $input) { token } }`, {
      input: { emial: 'a@b.c', password: 'x' },
    });
    expect(input.errors?.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']); // one per variable
    expect(input.errors?.[0]?.extensions.details).toHaveLength(2); // emial unknown, email missing
    expect(JSON.stringify(input.body)).not.toContain('Did you mean');
  });
});
