// Fuzzing the running server (issue 11): documents walked from the schema and then broken,
// hostile variables, bodies, headers, methods and query strings, anonymous and signed in. Every
// answer is held to the contract (test/fuzz/contract.ts), and /health must answer within 1 s
// throughout (but for one hiccup of the shared machine, see the last test). The server runs as its
// own process (dist/, as `npm start` runs it) so a stall of its event loop shows in the health
// poll, and a crash in its exit.
// Seeded: FUZZ_SEED=<n> replays a run (a failure prints its seed and path); FUZZ_RUNS scales it;
// FUZZ_LOG=<file> appends one JSON line per request sent (to find what a stateful failure followed).
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startServer, type ChildServer } from '../support/child-server.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { check } from './contract.js';
import { document, schema, type Document } from './documents.js';
import { applyEdits, edit, schemaNames } from './mutations.js';
import { body, headers, method, oversizedHeaders, path, queryString, unknownMethod, type FuzzRequest, type Tokens } from './requests.js';
import { send, watchHealth, type HealthWatch } from './transport.js';
import { idPool, variablesFor, type IdPool } from './values.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_111);
/** Runs per property: @default 1 (the CI budget, ~60 s for the file); 10 for a long local hunt. */
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
/** Wall time per property before fast-check stops generating (a failure found so far still fails). */
const PROPERTY_BUDGET_MS = 9_000 * SCALE;

let database: TestDatabase;
let server: ChildServer & { url: URL };
let origin: string;
let health: HealthWatch;
let ids: IdPool;
let tokens: Tokens;

async function graphql(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<any> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const json: any = await res.json();
  if (json.errors) throw new Error(`setup: ${query} failed: ${JSON.stringify(json.errors)}`);
  return json.data;
}

const SIGN_UP = `mutation($input: CreateUserInput!) { createUser(input: $input) { token user { id } } }`;
const signUp = async (n: number) =>
  (await graphql(SIGN_UP, { input: { name: `Fuzz ${n}`, email: `fuzz${n}@example.com`, password: 'fuzz-password' } })).createUser as {
    token: string;
    user: { id: string };
  };

beforeAll(async () => {
  database = await createTestDatabase();
  // A budget no run can spend: the fuzzer's requests must reach the guards behind the rate limit.
  server = await startServer({ ...database.env, RATE_LIMIT_POINTS: '1000000000' });
  origin = server.url.origin;
  const [ada, bob, revoked, deleted] = [await signUp(1), await signUp(2), await signUp(3), await signUp(4)];
  const post = (
    await graphql(
      `
        mutation {
          createPost(input: { title: "Fuzz", content: "Hello." }) {
            id
          }
        }
      `,
      {},
      ada.token,
    )
  ).createPost;
  const comment = (
    await graphql(
      `
        mutation ($p: ID!) {
          createComment(input: { postId: $p, body: "Hi." }) {
            id
          }
        }
      `,
      { p: post.id },
      bob.token,
    )
  ).createComment;
  await graphql(
    `
      mutation ($u: ID!) {
        followUser(userId: $u) {
          id
        }
      }
    `,
    { u: bob.user.id },
    ada.token,
  );
  await graphql(
    `
      mutation ($p: ID!) {
        likePost(postId: $p) {
          id
        }
      }
    `,
    { p: post.id },
    bob.token,
  );
  await graphql(
    `
      mutation {
        logOut
      }
    `,
    {},
    revoked.token,
  );
  await graphql(
    `
      mutation ($u: ID!) {
        deleteUser(id: $u)
      }
    `,
    { u: deleted.user.id },
    deleted.token,
  );
  ids = idPool([ada.user.id, bob.user.id, post.id, comment.id, deleted.user.id]);
  tokens = { valid: [ada.token], dead: [revoked.token, deleted.token] };
  health = watchHealth(`${origin}/health`);
}, 60_000);

// Each is unset if beforeAll failed before making it, which the declared types cannot say.
afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition */
  await health?.stop().catch(ignoreStopFailure);
  await server?.stop().catch(ignoreStopFailure);
  await database?.drop();
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

function ignoreStopFailure() {
  // Best effort: the tests have run, and child-server.ts kills a server still running after the file.
}

/** How a request reads in a failure report: bodies cut to their first 600 characters, bytes in hex. */
function describe(request: FuzzRequest): string {
  const { body } = request;
  const text = body === undefined ? '' : typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const shown =
    body instanceof Uint8Array && Buffer.from(text, 'utf8').compare(Buffer.from(body)) !== 0
      ? `hex ${Buffer.from(body).toString('hex').slice(0, 600)}`
      : JSON.stringify(text.slice(0, 600));
  const length = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  return `${request.method} ${request.path.slice(0, 600)}\nheaders: ${JSON.stringify(request.headers)}\nbody (${length} bytes): ${shown}`;
}

const reported = <T extends FuzzRequest>(request: T): T => Object.assign(request, { [fc.toStringMethod]: () => describe(request) });

/** Sends each generated request and fails on the first answer that breaks the contract. */
async function fuzz(requests: fc.Arbitrary<FuzzRequest>, numRuns: number, options: { headersRead?: boolean } = {}) {
  await fc.assert(
    fc.asyncProperty(requests.map(reported), async (request) => {
      let answer;
      const started = Date.now();
      try {
        answer = await send(origin, request);
      } catch (error) {
        throw new Error(
          `no answer (${(error as Error).name}: ${(error as Error).message}); server ${server.process.exitCode === null ? 'alive' : `exited ${server.process.exitCode}`}`,
          { cause: error },
        );
      }
      if (process.env.FUZZ_LOG)
        appendFileSync(
          process.env.FUZZ_LOG,
          JSON.stringify({
            ms: Date.now() - started,
            status: answer.status,
            sent: request.headers['x-request-id'] ?? null,
            got: answer.headers.get('x-request-id'),
            request: describe(request).slice(0, 400),
          }) + '\n',
        );
      const broken = [...check(request, answer, options), ...answer.eventProblems];
      if (server.process.exitCode !== null || server.process.signalCode !== null)
        broken.push(`the server exited (${server.process.exitCode ?? server.process.signalCode})`);
      if (broken.length)
        throw new Error(
          `${broken.join('\n')}\n→ ${answer.status} ${answer.headers.get('content-type')} ${answer.bytes} bytes: ${answer.text.slice(0, 600)}`,
        );
    }),
    { seed: SEED, numRuns: numRuns * SCALE, plugins: [fc.interruptAfterTimeLimit(PROPERTY_BUDGET_MS)] },
  );
}

const ACCEPT = fc.constantFrom('application/graphql-response+json', 'application/json');

/** A generated document, anonymous or with the signed-in token (then never logOut/deleteUser). */
const signedOrNot = () =>
  fc.oneof(
    document(ids, { signedIn: false }).map((doc) => ({ doc, auth: {} })),
    document(ids, { signedIn: true }).map((doc) => ({ doc, auth: { authorization: `Bearer ${tokens.valid[0]}` } })),
  );

const post = (json: string, auth: Record<string, string>, accept: string): FuzzRequest => ({
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json', accept, ...auth },
  body: json,
});

const asGet = (doc: Document, auth: Record<string, string>, accept: string): FuzzRequest => {
  const params = new URLSearchParams({
    query: doc.query,
    variables: JSON.stringify(doc.variables),
    ...(doc.operationName ? { operationName: doc.operationName } : {}),
  });
  return { method: 'GET', path: `/graphql?${params}`, headers: { accept, ...auth } };
};

test('valid documents walked from the schema, with values of the right type', async () => {
  const requests = fc
    .tuple(signedOrNot(), ACCEPT, fc.boolean())
    .map(([{ doc, auth }, accept, overGet]) =>
      overGet && doc.query.startsWith('query') ? asGet(doc, auth, accept) : post(JSON.stringify(doc), auth, accept),
    );
  await fuzz(requests, 1500);
}, 90_000);

test('documents with tokens deleted, duplicated, swapped, renamed or inserted', async () => {
  const names = { anonymous: schemaNames(), signedIn: schemaNames(new Set(['logOut', 'deleteUser'])) };
  const requests = fc
    .tuple(
      signedOrNot(),
      ACCEPT,
      fc.array(edit(names.signedIn), { minLength: 1, maxLength: 4 }),
      fc.option(fc.constantFrom('Other', '', 'query'), { freq: 4 }),
    )
    .map(([{ doc, auth }, accept, edits, operationName]) =>
      post(
        JSON.stringify({ ...doc, query: applyEdits(doc.query, edits), ...(operationName === null ? {} : { operationName }) }),
        auth,
        accept,
      ),
    );
  await fuzz(requests, 4000);
}, 90_000);

test('hostile variables: deep, wide, wrong types, huge strings, NUL bytes, lone surrogates', async () => {
  const requests = fc
    .tuple(signedOrNot(), ACCEPT)
    .chain(([{ doc, auth }, accept]) =>
      variablesFor(Object.keys(doc.variables)).map((variables) =>
        post(`{"query":${JSON.stringify(doc.query)},"variables":${variables}}`, auth, accept),
      ),
    );
  await fuzz(requests, 1200);
}, 90_000);

const documentText = () => document(ids, { signedIn: true }).map((doc) => doc.query);

test('any body, content type and headers on POST /graphql', async () => {
  const requests = fc
    .record({ headers: headers(tokens), body: body(documentText()) })
    .map(({ headers, body }): FuzzRequest => ({ method: 'POST', path: '/graphql', headers, body }));
  await fuzz(requests, 4000);
}, 90_000);

test('any method, path and query string', async () => {
  const requests = fc
    .record({
      method,
      path,
      query: queryString(documentText()),
      headers: headers(tokens),
      body: fc.option(body(documentText()), { nil: undefined }),
    })
    .map(({ method, path, query, headers, body }): FuzzRequest => ({ method, path: path + query, headers, body }));
  await fuzz(requests, 2000);
}, 90_000);

// Refused by Node's HTTP parser before yoga: the contract still wants a JSON error and a request id.
test('unknown methods and oversized URLs or headers', async () => {
  const requests = fc.oneof(
    fc
      .record({ method: unknownMethod, headers: headers(tokens) })
      .map(({ method, headers }): FuzzRequest => ({ method, path: '/graphql', headers, body: '{"query":"{ __typename }"}' })),
    oversizedHeaders.map(({ path, headers }): FuzzRequest => ({
      method: 'GET',
      path,
      headers: { accept: 'application/json', ...headers },
    })),
  );
  await fuzz(requests, 20, { headersRead: false });
}, 60_000);

// /health shares two cores with the other test files and with up to 20 hostile requests in flight:
// a CI run held one answer for 1.97 s of 357 with nothing wrong in the server. A request that stalls
// the loop is generated again and again by its property, so it shows as several slow answers or as
// one far over the limit; a lone answer between 1 s and 5 s is the machine.
const STALL_MS = 5_000;
const SLOW_ANSWERS_ALLOWED = 1;

test('the server lived and /health answered within 1 s throughout, but for one scheduling hiccup under 5 s', async () => {
  const { polls, slow } = await health.stop();
  expect(server.process.exitCode).toBeNull();
  expect(polls).toBeGreaterThan(0);
  const stalls = slow.filter(({ ms, outcome }) => outcome !== '200' || ms > STALL_MS);
  expect(stalls, `failed or stalled /health answers (of ${polls})`).toEqual([]);
  expect(slow.length, `slow /health answers (of ${polls}): ${JSON.stringify(slow)}`).toBeLessThanOrEqual(SLOW_ANSWERS_ALLOWED);
  const res = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(1000) });
  expect(res.status).toBe(200);
}, 15_000);

// A checker that passes everything would make every run above green: it must refuse what the contract forbids.
test('the checker refuses answers the contract forbids', () => {
  const request: FuzzRequest = { method: 'POST', path: '/graphql', headers: { 'x-request-id': 'abc' } };
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    return {
      status,
      headers: new Headers({ 'content-type': 'application/json', 'x-request-id': 'abc', ...headers }),
      bytes: Buffer.byteLength(text),
      text,
      streamed: false,
    };
  };
  const error = (message: string, code?: string) => ({ errors: [{ message, extensions: code ? { code } : {} }] });
  expect(check(request, answer(200, { data: { x: 1 } }))).toEqual([]);
  expect(check(request, answer(500, error('Something went wrong on our side; it has been logged.', 'INTERNAL_SERVER_ERROR')))).toHaveLength(
    2,
  );
  expect(check(request, answer(200, error('relation "users" does not exist', 'BAD_REQUEST')))).toHaveLength(1);
  expect(check(request, answer(200, error('x', 'INTERNAL_SERVER_ERROR')))).toHaveLength(1);
  expect(check(request, answer(200, error('no code')))).toHaveLength(1);
  expect(check(request, answer(400, error(`bad value "${'x'.repeat(201)}"`, 'BAD_REQUEST')))).toHaveLength(1);
  expect(check(request, answer(400, error('0123456789'.repeat(7_000), 'BAD_REQUEST')))).toHaveLength(1);
  expect(check(request, answer(429, error('slow down', 'RATE_LIMITED')))).toHaveLength(2); // no Retry-After, no extensions.retryAfter
  expect(check(request, answer(400, error('fine', 'BAD_REQUEST'), { 'x-request-id': 'other' }))).toHaveLength(1);
  expect(check(request, { ...answer(400, {}), headers: new Headers({ 'x-request-id': 'abc' }), text: 'Bad Request' })).toHaveLength(1);
});

// The schema walk must reach every root field, or a part of the API goes unfuzzed unnoticed.
test('the generators reach every root field of the schema', () => {
  const seen = new Set<string>();
  for (const doc of fc.sample(document(idPool(['VXNlcjox']), { signedIn: false }), { seed: SEED, numRuns: 2000 }))
    for (const match of doc.query.matchAll(/(?:^|[{ ])(\w+)(?=[ ({])/g)) seen.add(match[1]!);
  const roots = [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()!].flatMap((type) =>
    Object.keys(type.getFields()),
  );
  expect(roots.filter((name) => !seen.has(name))).toEqual([]);
});
