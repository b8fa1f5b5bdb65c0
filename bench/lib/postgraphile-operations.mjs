// The four operations of issue 5 as a PostGraphile client writes them against PostGraphile's own
// schema (amber + Relay presets, bench/postgraphile-server.mjs), the fixtures it pages and looks
// up with, and the normaliser that maps its answers onto our API's shape, so that the bench can
// require the same data from every server.
//
// Its shape, by PostGraphile's naming: relations are <table>By<Column> (userByAuthorId,
// commentsByPostId, followsByFolloweeId: the followers are reached through the follows rows),
// collections are connections ordered with orderBy (PRIMARY_KEY_* is the tiebreaker that makes
// the order ours), and the counts, viewerHasLiked and feed are the functions of
// bench/postgraphile.sql.

const QUERIES = {
  feed: `query feed {
    feed(first: 20) { edges { node {
      title createdAt userByAuthorId { name followersCount } commentsCount likesCount viewerHasLiked
      commentsByPostId(first: 3, orderBy: [CREATED_AT_ASC, PRIMARY_KEY_ASC]) { edges { node { body userByAuthorId { name } } } }
    } } }
  }`,
  profile: `query profile($id: ID!) {
    user(id: $id) {
      name followersCount
      postsByAuthorId(first: 10, orderBy: [CREATED_AT_DESC, PRIMARY_KEY_DESC]) { edges { node { title commentsCount } } }
      followsByFolloweeId(first: 10, orderBy: [CREATED_AT_DESC, PRIMARY_KEY_DESC]) { edges { node { userByFollowerId { name followersCount } } } }
    }
  }`,
  'deep-page': `query deepPage($after: Cursor!) {
    allPosts(first: 20, after: $after, orderBy: [CREATED_AT_DESC, PRIMARY_KEY_DESC]) { edges { node { title userByAuthorId { name } } } }
  }`,
  node: `query node($id: ID!) { node(id: $id) { ... on Post { title } } }`,
};

/**
 * The same rows as readFixtures (operations.mjs) picks by SQL, found through PostGraphile's API
 * as a client would: its node ids and its cursor (both opaque, and not ours). Offsets in the
 * same orders: the 5,000th user and 50,000th post by id, the 10,000th post newest first.
 */
const FIXTURES_QUERY = `query fixtures {
  user: allUsers(orderBy: PRIMARY_KEY_ASC, offset: 4999, first: 1) { edges { node { id } } }
  post: allPosts(orderBy: PRIMARY_KEY_ASC, offset: 49999, first: 1) { edges { node { id } } }
  deep: allPosts(orderBy: [CREATED_AT_DESC, PRIMARY_KEY_DESC], offset: 9999, first: 1) { edges { cursor } }
}`;

async function readFixtures(url) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: FIXTURES_QUERY }),
  });
  const { data, errors } = await response.json();
  if (errors || !data) throw new Error(`postgraphile could not tell its fixtures: ${JSON.stringify(errors)}`);
  return {
    userId: data.user.edges[0].node.id,
    postId: data.post.edges[0].node.id,
    deepCursor: data.deep.edges[0].cursor,
  };
}

const variables = (fixtures) => ({
  feed: {},
  profile: { id: fixtures.userId },
  'deep-page': { after: fixtures.deepCursor },
  node: { id: fixtures.postId },
});

// Postgres' timestamptz text (2026-11-24T22:18:13.453000+00:00); ours serializes ISO 8601 in UTC.
const iso = (datetime) => new Date(datetime).toISOString();
const edgesOf = (connection, map) => ({ edges: connection.edges.map((edge) => ({ node: map(edge.node) })) });

/** PostGraphile's `data` in our API's shape: the fields renamed, nothing dropped or guessed. */
const NORMALISE = {
  feed: (data) => ({
    feed: edgesOf(data.feed, (post) => ({
      title: post.title,
      createdAt: iso(post.createdAt),
      author: post.userByAuthorId,
      commentsCount: post.commentsCount,
      likesCount: post.likesCount,
      viewerHasLiked: post.viewerHasLiked,
      comments: edgesOf(post.commentsByPostId, (comment) => ({ body: comment.body, author: comment.userByAuthorId })),
    })),
  }),
  profile: ({ user }) => ({
    user: user && {
      name: user.name,
      followersCount: user.followersCount,
      posts: edgesOf(user.postsByAuthorId, (post) => post),
      followers: edgesOf(user.followsByFolloweeId, (follow) => follow.userByFollowerId),
    },
  }),
  'deep-page': (data) => ({ posts: edgesOf(data.allPosts, (post) => ({ title: post.title, author: post.userByAuthorId })) }),
  node: (data) => data,
};

export const POSTGRAPHILE_API = {
  queries: QUERIES,
  readFixtures: (server) => readFixtures(server.url),
  variables,
  normalise: (operation, data) => NORMALISE[operation](data),
};
