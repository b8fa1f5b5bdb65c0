// The writers of the mixed run (bench/mixed.mjs): accounts of their own, made for the run and
// deleted after it with everything they wrote (their posts, comments, likes and follows go with
// them: every foreign key to users cascades), so that the bench's dataset is as it was.
//
// Each write is checked by a read whose answer is known exactly, because only its writer changes
// it: whether the writer likes the post, follows the user, its newest post and its count, the
// comments on its own newest post. The same read goes before the write too, so that the answer
// the write must drop is in the cache when it happens.
import { withClient } from './dataset.mjs';

/** Made for the run and matched for deletion: no seeded user has an address at this domain. */
const EMAIL_DOMAIN = 'mixed-writers.bench.invalid';
const PASSWORD = 'mixed-bench-password';

/** A writer's state, as only its own writes change it; the checks expect it. */
const initialState = (id, token, postId) => ({ id, token, postId, postsCount: 1, commentsCount: 0, likes: false, follows: false });

const POST_STATE = `query writerPosts($id: ID!) { user(id: $id) { postsCount posts(first: 1) { edges { node { id } } } } }`;
const COMMENTS_STATE = `query writerComments($id: ID!) { node(id: $id) { ... on Post { commentsCount } } }`;
const LIKE_STATE = `query writerLikes($id: ID!) { node(id: $id) { ... on Post { viewerHasLiked } } }`;
const FOLLOW_STATE = `query writerFollows($id: ID!) { user(id: $id) { viewerIsFollowing } }`;

/**
 * The writes, in the order each writer repeats them: `write` (a mutation), `apply` (the state
 * after it, from its answer), `check` (a read: anonymous unless it names a token) and `expected`
 * (its data for a state). Likes and follows go to the post and user the readers read (the bench's
 * `node` and `profile`), new posts enter the lists `feed` and `deep-page` read.
 */
export const WRITES = [
  {
    name: 'likePost',
    write: (_w, targets) => mutation('likePost(postId: $id) { id }', 'ID!', targets.postId),
    apply: (w) => ({ ...w, likes: true }),
    ...likeCheck(),
  },
  {
    name: 'createPost',
    write: (w) => newPost(w.postsCount + 1),
    apply: (w, data) => ({ ...w, postId: data.createPost.id, postsCount: w.postsCount + 1, commentsCount: 0 }),
    check: (w) => ({ query: POST_STATE, variables: { id: w.id } }),
    expected: (w) => ({ user: { postsCount: w.postsCount, posts: { edges: [{ node: { id: w.postId } }] } } }),
  },
  {
    name: 'followUser',
    write: (_w, targets) => mutation('followUser(userId: $id) { id }', 'ID!', targets.userId),
    apply: (w) => ({ ...w, follows: true }),
    ...followCheck(),
  },
  {
    name: 'createComment',
    write: (w) => ({
      query: 'mutation write($input: CreateCommentInput!) { createComment(input: $input) { id } }',
      variables: { input: { postId: w.postId, body: `mixed bench comment ${w.commentsCount + 1}` } },
    }),
    apply: (w) => ({ ...w, commentsCount: w.commentsCount + 1 }),
    check: (w) => ({ query: COMMENTS_STATE, variables: { id: w.postId } }),
    expected: (w) => ({ node: { commentsCount: w.commentsCount } }),
  },
  {
    name: 'unlikePost',
    write: (_w, targets) => mutation('unlikePost(postId: $id) { id }', 'ID!', targets.postId),
    apply: (w) => ({ ...w, likes: false }),
    ...likeCheck(),
  },
  {
    name: 'unfollowUser',
    write: (_w, targets) => mutation('unfollowUser(userId: $id) { id }', 'ID!', targets.userId),
    apply: (w) => ({ ...w, follows: false }),
    ...followCheck(),
  },
];

function likeCheck() {
  return {
    check: (w, targets) => ({ query: LIKE_STATE, variables: { id: targets.postId }, token: w.token }),
    expected: (w) => ({ node: { viewerHasLiked: w.likes } }),
  };
}

function followCheck() {
  return {
    check: (w, targets) => ({ query: FOLLOW_STATE, variables: { id: targets.userId }, token: w.token }),
    expected: (w) => ({ user: { viewerIsFollowing: w.follows } }),
  };
}

const newPost = (number) => ({
  query: 'mutation write($input: CreatePostInput!) { createPost(input: $input) { id } }',
  variables: { input: { title: `mixed bench post ${number}`, content: 'Written by the mixed bench, deleted after it.' } },
});

const mutation = (selection, type, id) => ({ query: `mutation write($id: ${type}) { ${selection} }`, variables: { id } });

/** `count` writers, each signed up through `url` with a first post: their states. */
export async function createWriters(url, count, runId) {
  const writers = [];
  for (let i = 0; i < count; i++) {
    const signedUp = await graphql(url, {
      query: 'mutation signUp($input: CreateUserInput!) { createUser(input: $input) { token user { id } } }',
      variables: { input: { name: `Mixed bench writer ${i + 1}`, email: `writer-${runId}-${i + 1}@${EMAIL_DOMAIN}`, password: PASSWORD } },
    });
    const { token, user } = signedUp.createUser;
    const posted = await graphql(url, newPost(1), token);
    writers.push(initialState(user.id, token, posted.createPost.id));
  }
  return writers;
}

/** Deletes every writer account, of this run or of one that stopped before its own cleanup; how many. */
export async function deleteWriters(databaseUrl) {
  return withClient(databaseUrl, async (client) => {
    const { rowCount } = await client.query('delete from users where email like $1', [`%@${EMAIL_DOMAIN}`]);
    // Their rows' dead tuples cleared, and the statistics of the seed kept, for the next run's plans.
    if (rowCount > 0) await client.query('vacuum analyze users, posts, comments, likes, follows');
    return rowCount;
  });
}

/** The rows of each table the writers write to: the same before and after a run. */
export async function countRows(databaseUrl) {
  return withClient(databaseUrl, async (client) => {
    const tables = ['users', 'posts', 'comments', 'likes', 'follows'];
    const { rows } = await client.query(`select ${tables.map((table) => `(select count(*) from ${table})::int as ${table}`).join(', ')}`);
    return rows[0];
  });
}

/** One POST /graphql that must succeed: its data. */
export async function graphql(url, { query, variables }, token) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (!response.ok || body.errors || !body.data) throw new Error(`${response.status} ${JSON.stringify(body).slice(0, 500)}`);
  return body.data;
}
