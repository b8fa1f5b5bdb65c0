// The four operations of issue 5, with the exact selections it lists, and the checks run before
// any load: every server must return the same data (key order aside), or nothing is measured.
// Each server is asked in its own API's terms (ours, naive and raw: our schema; postgraphile: its
// own, lib/postgraphile-operations.mjs), and its answer is normalised to our shape to compare.
import { isDeepStrictEqual } from 'node:util';
import { withClient } from './dataset.mjs';
import { POSTGRAPHILE_API } from './postgraphile-operations.mjs';

const QUERIES = {
  feed: `query feed {
    feed(first: 20) { edges { node {
      title createdAt author { name followersCount } commentsCount likesCount viewerHasLiked
      comments(first: 3) { edges { node { body author { name } } } }
    } } }
  }`,
  profile: `query profile($id: ID!) {
    user(id: $id) {
      name followersCount
      posts(first: 10) { edges { node { title commentsCount } } }
      followers(first: 10) { edges { node { name followersCount } } }
    }
  }`,
  'deep-page': `query deepPage($after: String!) {
    posts(first: 20, after: $after) { edges { node { title author { name } } } }
  }`,
  node: `query node($id: ID!) { node(id: $id) { ... on Post { title } } }`,
};
export const OPERATION_NAMES = Object.keys(QUERIES);

/** Seeded users' password (src/seed/). */
const SEED_PASSWORD = 'demo-password';
const globalId = (type, id) => Buffer.from(`${type}:${id}`).toString('base64');

/**
 * The variables each operation is sent with, read from the dataset: the first user is the feed's
 * viewer, a user and a post from the middle of the id range are the profile and the node, and
 * the deep page starts after the 10,000th post, newest first.
 */
export async function readFixtures(databaseUrl) {
  return withClient(databaseUrl, async (client) => {
    const viewer = await client.query('select email from users order by id limit 1');
    const user = await client.query('select id from users order by id offset 4999 limit 1');
    const post = await client.query('select id from posts order by id offset 49999 limit 1');
    const deep = await client.query(
      'select id, (extract(epoch from created_at) * 1000)::bigint as ms from posts order by created_at desc, id desc offset 9999 limit 1',
    );
    return {
      viewerEmail: viewer.rows[0].email,
      userId: globalId('User', user.rows[0].id),
      postId: globalId('Post', post.rows[0].id),
      // Our cursor codec (src/schema/pagination.ts): base64url("<epoch ms>:<id>").
      deepCursor: Buffer.from(`${deep.rows[0].ms}:${deep.rows[0].id}`).toString('base64url'),
    };
  });
}

/** Signs the viewer in through our API, as a client would. */
export async function logIn(url, email) {
  const body = await post(url, {
    query: 'mutation logIn($input: LogInInput!) { logIn(input: $input) { token } }',
    variables: { input: { email, password: SEED_PASSWORD } },
  });
  const token = body.data?.logIn?.token;
  if (!token) throw new Error(`logIn as ${email} failed: ${JSON.stringify(body)}`);
  return token;
}

const OUR_API = {
  queries: QUERIES,
  readFixtures: null, // readFixtures below: ids and cursors of our codecs
  variables: (fixtures) => ({
    feed: {},
    profile: { id: fixtures.userId },
    'deep-page': { after: fixtures.deepCursor },
    node: { id: fixtures.postId },
  }),
  normalise: (operation, data) => data,
};
/** By a server's `api` (servers.mjs). */
const APIS = { ours: OUR_API, postgraphile: POSTGRAPHILE_API };

/**
 * requests[operation][server]: one fixed body and headers per operation and server, in the
 * server's API's terms; an API with fixtures of its own (ids, cursors) reads them from its server.
 */
export async function buildRequests(servers, fixtures, token) {
  const requests = Object.fromEntries(OPERATION_NAMES.map((operation) => [operation, {}]));
  for (const server of servers) {
    const api = APIS[server.api];
    const variables = api.variables(api.readFixtures ? await api.readFixtures(server) : fixtures);
    for (const operation of OPERATION_NAMES) {
      const query = api.queries[operation];
      requests[operation][server.name] = {
        headers: { 'content-type': 'application/json', ...(operation === 'feed' ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, operationName: query.match(/query (\w+)/)[1], variables: variables[operation] }),
      };
    }
  }
  return requests;
}

/**
 * Sends each operation to each server `repeat` times, one at a time. Refuses (throws) when the
 * answers differ or carry errors; returns the statements per request of each server and operation.
 */
export async function checkServers(servers, requests, repeat = 3) {
  const statements = {};
  for (const [operation, requestOf] of Object.entries(requests)) {
    let reference = null;
    for (const server of servers) {
      const before = await server.statementCount();
      let body;
      for (let i = 0; i < repeat; i++) body = await post(server.url, requestOf[server.name]);
      const perRequest = ((await server.statementCount()) - before) / repeat;
      (statements[operation] ??= {})[server.name] = perRequest;
      if (body.errors || !body.data) throw new Error(`${server.name} answered ${operation} with ${JSON.stringify(body).slice(0, 500)}`);
      const data = normalise(server, operation, body.data);
      if (!hasContent(data)) throw new Error(`${server.name} answered ${operation} with no rows: the fixtures are wrong`);
      if (reference === null) reference = { server: server.name, data };
      else if (!isDeepStrictEqual(sortKeys(data), sortKeys(reference.data))) {
        throw new Error(
          `${server.name} and ${reference.server} answer ${operation} differently (normalised):\n` +
            `${reference.server}: ${JSON.stringify(sortKeys(reference.data)).slice(0, 800)}\n${server.name}: ${JSON.stringify(sortKeys(data)).slice(0, 800)}`,
        );
      }
    }
  }
  return statements;
}

// A normaliser that trips over a missing field means a different answer, not a bench bug.
function normalise(server, operation, data) {
  try {
    return APIS[server.api].normalise(operation, data);
  } catch (error) {
    throw new Error(
      `${server.name} answered ${operation} in an unexpected shape (${error.message}): ${JSON.stringify(data).slice(0, 500)}`,
      { cause: error },
    );
  }
}

async function post(url, request) {
  const isPrepared = typeof request.body === 'string';
  const response = await fetch(url, {
    method: 'POST',
    headers: isPrepared ? request.headers : { 'content-type': 'application/json' },
    body: isPrepared ? request.body : JSON.stringify(request),
  });
  return response.json();
}

// An empty page on every server would compare equal and measure nothing.
const hasContent = (data) => Object.values(data).every((value) => value !== null && (value.edges === undefined || value.edges.length > 0));

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}
