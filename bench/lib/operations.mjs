// The four operations of issue 5, with the exact selections it lists, and the checks run before
// any load: every server must return the same data (key order aside), or nothing is measured.
// Each server is asked in its own API's terms (ours, naive and raw: our schema; postgraphile: its
// own, lib/postgraphile-operations.mjs), and its answer is normalised to our shape to compare.
import { isDeepStrictEqual } from 'node:util';
import { withClient } from './dataset.mjs';
import { POSTGRAPHILE_API } from './postgraphile-operations.mjs';
import { buildRestRequests, isRestOperation, REST_OPERATION_NAMES, REST_PAIRS, restAnswerAsGraphQL } from './rest-operations.mjs';

/** Issue 5's operations as our schema spells them (the soak reuses them with variables of its own). */
export const QUERIES = {
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
/** Every operation a run can measure (`--operations`): issue 5's, then the REST rows. */
export const ALL_OPERATION_NAMES = [...OPERATION_NAMES, ...REST_OPERATION_NAMES];

/** Seeded users' password (src/seed/). */
const SEED_PASSWORD = 'demo-password';
export const globalId = (type, id) => Buffer.from(`${type}:${id}`).toString('base64');

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
 * requests[operation][server]: one fixed method, URL, headers and body per operation and server,
 * in the server's API's terms; an API with fixtures of its own (ids, cursors) reads them from its
 * server. The REST operations and their GraphQL pairs (./rest-operations.mjs) go to the servers
 * that serve REST only, and a server measured on some operations only (servers.mjs) gets those:
 * their other cells stay empty. `only`: these operations, if given.
 */
export async function buildRequests(servers, fixtures, token, only = null) {
  const names = ALL_OPERATION_NAMES.filter((operation) => !only || only.includes(operation));
  const requests = Object.fromEntries(names.map((operation) => [operation, {}]));
  for (const server of servers) {
    const api = APIS[server.api];
    const variables = api.variables(api.readFixtures ? await api.readFixtures(server) : fixtures);
    const rest = server.hasRest ? buildRestRequests(server, fixtures) : {};
    for (const operation of names) {
      if (server.operations && !server.operations.includes(operation)) continue;
      if (Object.hasOwn(rest, operation)) requests[operation][server.name] = rest[operation];
      if (!OPERATION_NAMES.includes(operation)) continue;
      const query = api.queries[operation];
      requests[operation][server.name] = {
        method: 'POST',
        url: server.url,
        headers: { 'content-type': 'application/json', ...(operation === 'feed' ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, operationName: query.match(/query (\w+)/)[1], variables: variables[operation] }),
      };
    }
  }
  return requests;
}

/**
 * Sends each operation to each server it has a request for `repeat` times, one at a time. Refuses
 * (throws) when the answers differ or carry errors (a REST operation's answer is held to its
 * GraphQL pair's); returns the statements per request of each server and operation.
 */
export async function checkServers(servers, requests, repeat = 3) {
  const statements = {};
  const references = {}; // by operation; a REST operation's is its GraphQL pair's
  for (const [operation, requestOf] of Object.entries(requests)) {
    const group = REST_PAIRS[operation] ?? operation;
    for (const server of servers.filter((s) => requestOf[s.name])) {
      const before = await server.statementCount();
      let body;
      for (let i = 0; i < repeat; i++) body = await send(requestOf[server.name]);
      const perRequest = ((await server.statementCount()) - before) / repeat;
      (statements[operation] ??= {})[server.name] = perRequest;
      const data = isRestOperation(operation)
        ? restAnswerAsGraphQL(operation, body)
        : !body.errors && body.data && normalise(server, operation, body.data);
      if (!data) throw new Error(`${server.name} answered ${operation} with ${JSON.stringify(body).slice(0, 500)}`);
      if (!hasContent(data)) throw new Error(`${server.name} answered ${operation} with no rows: the fixtures are wrong`);
      const reference = references[group];
      const name = `${server.name} ${operation}`;
      if (reference === undefined) references[group] = { name, data };
      else if (!isDeepStrictEqual(sortKeys(data), sortKeys(reference.data))) {
        throw new Error(
          `${name} and ${reference.name} answer differently (normalised):\n` +
            `${reference.name}: ${JSON.stringify(sortKeys(reference.data)).slice(0, 800)}\n${name}: ${JSON.stringify(sortKeys(data)).slice(0, 800)}`,
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
  return send({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
}

/** One request as buildRequests made it; its JSON answer. */
async function send({ method, url, headers, body }) {
  const response = await fetch(url, { method, headers, body });
  return response.json();
}

// An empty page on every server would compare equal and measure nothing.
const hasContent = (data) => Object.values(data).every((value) => value !== null && (value.edges === undefined || value.edges.length > 0));

/** The value with every object's keys in order: answers are compared key order aside. */
export function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}
