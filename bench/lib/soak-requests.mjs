// What the soak's well-behaved clients send: issue 5's reads with varying variables (so the
// response cache both hits and misses), the two REST reads, and the mixed run's writes
// (lib/mixed-writes.mjs) plus comments on one "hot" post that the commentAdded subscribers watch.
//
// Clients are many, as in production: anonymous ones by the address a trusted proxy forwards
// (the soak's server runs with TRUST_PROXY=127.0.0.1), signed-in ones by their token, each with
// its own rate-limit budget at the server's default size. Nothing here is refused unless the
// server misbehaves.
import { withClient } from './dataset.mjs';
import { QUERIES, globalId } from './operations.mjs';
import { WRITES } from './mixed-writes.mjs';
import { signToken } from './tokens.mjs';

/** @default 1024 anonymous clients (10.77.x.y): each spends well under its budget per window. */
export const ANONYMOUS_CLIENTS = 1024;
/**
 * @default 2000 signed-in readers of the feed, the first seeded users. A feed costs hundreds of
 * points: with 400 readers at 470 req/s, some spent their 10,000 a minute and got 429 (a
 * 20-minute run: 1,295 of them), which is the server right and the load wrong.
 */
const FEED_VIEWERS = 2000;
/** The reads of one cycle of a loop, in order: the feed and profiles most, as a front page would. */
export const READ_ROTATION = ['feed', 'profile', 'node', 'deep-page', 'feed', 'profile', 'rest-post', 'rest-posts'];

/** The ids and tokens the requests draw on, read from the bench's dataset. */
export async function buildPopulation(databaseUrl, fixtures) {
  const ranges = await withClient(databaseUrl, async (client) => {
    const { rows } = await client.query(
      `select (select min(id) from users) as u0, (select max(id) from users) as u1,
              (select min(id) from posts) as p0, (select max(id) from posts) as p1`,
    );
    return rows[0];
  });
  const viewerIds = Array.from({ length: FEED_VIEWERS }, (_, i) => ranges.u0 + i);
  return {
    users: [ranges.u0, ranges.u1],
    posts: [ranges.p0, ranges.p1],
    viewerTokens: await Promise.all(viewerIds.map((id) => signToken(id, { ttlSeconds: 24 * 3600 }))),
    deepCursor: fixtures.deepCursor,
    hotPostId: fixtures.postId,
    targets: { postId: fixtures.postId, userId: fixtures.userId },
  };
}

/** A well-spread, repeatable pick in [0, count): the n-th client, user or post. */
export const spread = (n, count) => Number((BigInt(n) * 2654435761n) % BigInt(count));

/** The `n`-th anonymous client's forwarded address. */
export const anonymousAddress = (n) => {
  const i = spread(n, ANONYMOUS_CLIENTS);
  return `10.77.${i >> 8}.${i & 255}`;
};

/** Read `name` as the `n`-th request of its kind: { operation, method, url, headers, body }. */
export function readRequest(name, graphqlUrl, population, n) {
  const anonymous = { 'x-forwarded-for': anonymousAddress(n) };
  const randomId = (type, [first, last]) => globalId(type, first + spread(n, last - first + 1));
  const graphql = (operation, variables, headers = anonymous) => {
    const query = QUERIES[operation];
    return {
      operation,
      method: 'POST',
      url: graphqlUrl,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, operationName: query.match(/query (\w+)/)[1], variables }),
    };
  };
  const rest = (operation, pathAndQuery) => ({
    operation,
    method: 'GET',
    url: new URL(pathAndQuery, graphqlUrl).href,
    headers: { accept: 'application/json', ...anonymous },
  });
  switch (name) {
    case 'feed':
      return graphql('feed', {}, { authorization: `Bearer ${population.viewerTokens[n % population.viewerTokens.length]}` });
    case 'profile':
      return graphql('profile', { id: randomId('User', population.users) });
    case 'node':
      return graphql('node', { id: randomId('Post', population.posts) });
    case 'deep-page':
      return graphql('deep-page', { after: population.deepCursor });
    case 'rest-post':
      return rest('rest-post', `/v1/posts/${encodeURIComponent(randomId('Post', population.posts))}`);
    case 'rest-posts':
      return rest('rest-posts', '/v1/posts?limit=20');
    default:
      throw new Error(`no read ${name}`);
  }
}

/** The soak's own write: a comment on the hot post, which every commentAdded subscriber receives. */
const HOT_COMMENT = {
  name: 'commentOnHotPost',
  write: (w, targets) => ({
    query: 'mutation write($input: CreateCommentInput!) { createComment(input: $input) { id } }',
    variables: { input: { postId: targets.postId, body: `soak comment by ${w.id}` } },
  }),
  apply: (w) => w,
  check: null,
};

/** Each writer repeats these in order: the mixed run's six, then the hot comment. */
export const SOAK_WRITES = [...WRITES, HOT_COMMENT];

/**
 * The k-th write of `writer`: { write: its kind, request, check (a read whose answer is known
 * after the write, or null) }. Mutations are named after their kind (the mixed run names them
 * all `write`), so the server's metrics tell createPost from likePost.
 */
export function writeRequest(k, writer, graphqlUrl, population, address) {
  const write = SOAK_WRITES[k % SOAK_WRITES.length];
  const { query, variables } = write.write(writer, population.targets);
  const post = (body, token) => ({
    method: 'POST',
    url: graphqlUrl,
    // A check without a token is an anonymous client: the writer's own address, not everybody's.
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : { 'x-forwarded-for': address }) },
    body: JSON.stringify(body),
  });
  const named = query.replace(/^mutation write\b/, `mutation ${write.name}`);
  return {
    write,
    request: { operation: write.name, ...post({ query: named, variables }, writer.token) },
    check: (after) => {
      if (!write.check) return null;
      const { token, ...read } = write.check(after, population.targets);
      return { operation: read.query.match(/query (\w+)/)[1], ...post(read, token), expected: write.expected(after) };
    },
  };
}
