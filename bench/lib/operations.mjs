// The four operations of issue 5, with the exact selections it lists, and the checks run before
// any load: every server must return the same data (key order aside), or nothing is measured.
import { isDeepStrictEqual } from 'node:util';
import { withClient } from './dataset.mjs';

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

/** The request of each operation: one fixed body and headers, sent to every server alike. */
export function buildRequests(fixtures, token) {
  const variables = { feed: {}, profile: { id: fixtures.userId }, 'deep-page': { after: fixtures.deepCursor }, node: { id: fixtures.postId } };
  return Object.fromEntries(OPERATION_NAMES.map((name) => [name, {
    headers: { 'content-type': 'application/json', ...(name === 'feed' ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: QUERIES[name], operationName: QUERIES[name].match(/query (\w+)/)[1], variables: variables[name] }),
  }]));
}

/**
 * Sends each operation to each server `repeat` times, one at a time. Refuses (throws) when the
 * answers differ or carry errors; returns the statements per request of each server and operation.
 */
export async function checkServers(servers, requests, repeat = 3) {
  const statements = {};
  for (const [operation, request] of Object.entries(requests)) {
    let reference = null;
    for (const server of servers) {
      const before = await server.statementCount();
      let body;
      for (let i = 0; i < repeat; i++) body = await post(server.url, request);
      const perRequest = (await server.statementCount() - before) / repeat;
      (statements[operation] ??= {})[server.name] = perRequest;
      if (body.errors || !body.data) throw new Error(`${server.name} answered ${operation} with ${JSON.stringify(body).slice(0, 500)}`);
      if (!hasContent(body.data)) throw new Error(`${server.name} answered ${operation} with no rows: the fixtures are wrong`);
      if (reference === null) reference = { server: server.name, data: body.data };
      else if (!isDeepStrictEqual(sortKeys(body.data), sortKeys(reference.data))) {
        throw new Error(`${server.name} and ${reference.server} answer ${operation} differently:\n` +
          `${reference.server}: ${JSON.stringify(sortKeys(reference.data)).slice(0, 800)}\n${server.name}: ${JSON.stringify(sortKeys(body.data)).slice(0, 800)}`);
      }
    }
  }
  return statements;
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
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
}
