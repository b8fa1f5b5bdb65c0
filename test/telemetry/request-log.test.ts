// The request log, as an operator greps it: one JSON line per HTTP request, msg "request", that
// ties the response (X-Request-ID) to its operation, SQL statements, cost, viewer and errors, and
// that never holds what a client sent as a value: passwords, emails, tokens, variables.
import { beforeAll, expect, test } from 'vitest';
import { given, GIVEN_PASSWORD, type GivenUser } from '../support/given.js';
import { signIn } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let ada: GivenUser;
beforeAll(async () => {
  app = await startTestApp({ captureLogs: true, env: { RESPONSE_CACHE: 'false' } });
  ada = await given(app).user();
  await given(app).posts(3);
});

/** The request lines logged for the response that carries `headers`. */
const linesOf = (headers: Headers) => app.logs.filter((line) => line.msg === 'request' && line.requestId === headers.get('x-request-id'));

test('a query logs one line: its request id, operation, status, statements, cost and viewer', async () => {
  const session = await signIn(app, ada);
  const res = await app.query('query FrontPage { posts(first: 3) { edges { node { title author { name } } } } }', {}, session);
  expect(res.status).toBe(200);
  expect(linesOf(res.headers)).toEqual([
    expect.objectContaining({
      level: 30,
      method: 'POST',
      path: '/graphql',
      status: 200,
      operationName: 'FrontPage',
      operationType: 'query',
      statements: res.statements,
      cost: res.body.extensions!.cost.requested,
      userId: ada.id,
      durationMs: expect.any(Number),
    }),
  ]);
});

test('an answer with errors logs their codes', async () => {
  const res = await app.query('query Broken { node(id: "not an id") { id } }');
  expect(res.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  expect(linesOf(res.headers)).toEqual([
    expect.objectContaining({ operationName: 'Broken', userId: null, errorCodes: ['BAD_USER_INPUT'] }),
  ]);
});

test('a REST request logs one line, with its route', async () => {
  const before = app.logs.filter((line) => line.msg === 'request').length;
  const statementsBefore = app.database.statementCount;
  const res = await app.fetch('/v1/posts?limit=2');
  expect(res.status).toBe(200);
  await res.text();
  expect(app.logs.filter((line) => line.msg === 'request')).toHaveLength(before + 1);
  expect(linesOf(res.headers)).toEqual([
    expect.objectContaining({
      method: 'GET',
      path: '/v1/posts',
      route: 'GET /v1/posts',
      status: 200,
      operationType: 'query',
      statements: app.database.statementCount - statementsBefore,
    }),
  ]);
});

test('signing up and logging in leave no password, email, token or variable in the log', async () => {
  const input = { name: 'Zelda Unlogged', email: 'zelda.unlogged@example.com', password: 'hunter2-unlogged' };
  const created = await app.query('mutation SignUp($input: CreateUserInput!) { createUser(input: $input) { token } }', { input });
  const loggedIn = await app.query('mutation SignIn($input: LogInInput!) { logIn(input: $input) { token } }', {
    input: { email: ada.email, password: GIVEN_PASSWORD },
  });
  const tokens = [created.data.createUser.token, loggedIn.data.logIn.token];
  expect(linesOf(created.headers)).toEqual([expect.objectContaining({ operationName: 'SignUp', operationType: 'mutation' })]);
  expect(linesOf(loggedIn.headers)).toEqual([expect.objectContaining({ operationName: 'SignIn', status: 200 })]);

  const everything = app.logs.map((line) => JSON.stringify(line)).join('\n');
  for (const secret of [...Object.values(input), ada.email, GIVEN_PASSWORD, ...tokens]) expect(everything).not.toContain(secret);
  expect(everything).not.toMatch(/"variables"/);
});

test('probes are logged at debug, not at info', async () => {
  const chatty = await startTestApp({ captureLogs: true, env: { LOG_LEVEL: 'debug' } });
  const health = await chatty.fetch('/health');
  expect(health.status).toBe(200);
  expect(linesOfApp(chatty, health.headers)).toEqual([expect.objectContaining({ level: 20, path: '/health' })]);
  const query = await chatty.query('{ __typename }');
  expect(linesOfApp(chatty, query.headers)).toEqual([expect.objectContaining({ level: 30, path: '/graphql' })]);
});

test('a slow operation logs a warning with its document, literals hidden, and no variables', async () => {
  const slow = await startTestApp({ captureLogs: true, env: { SLOW_OPERATION_MS: '0' } });
  const res = await slow.query(
    'query Lookup($search: String) {\n  a: users(first: 7, search: "needle-in-the-log") { edges { node { name } } }\n  b: users(search: $search) { edges { cursor } }\n}',
    { search: 'variable-in-the-log' },
  );
  expect(res.errors).toBeUndefined();
  const warnings = slow.logs.filter((line) => line.msg === 'slow operation');
  expect(warnings).toEqual([
    expect.objectContaining({
      level: 40,
      requestId: res.headers.get('x-request-id'),
      operationName: 'Lookup',
      slowOperationMs: 0,
      document: 'query Lookup($search:String){a:users(first:0 search:""){edges{node{name}}}b:users(search:$search){edges{cursor}}}',
    }),
  ]);
  const everything = slow.logs.map((line) => JSON.stringify(line)).join('\n');
  expect(everything).not.toContain('needle-in-the-log');
  expect(everything).not.toContain('variable-in-the-log');
});

function linesOfApp(other: TestApp, headers: Headers) {
  return other.logs.filter((line) => line.msg === 'request' && line.requestId === headers.get('x-request-id'));
}
