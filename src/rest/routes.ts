// Every REST route, each a GraphQL operation of its own: the method and URL template, the
// document, where its answer sits in the result, and how the request fills its variables.
// Executed through the same yoga pipeline as POST /graphql (./plugin.ts): the same guards,
// rate-limit budget, loaders, error codes and idempotency keys. The OpenAPI document is generated
// from this table (./openapi.ts).
import type { NodeTypename } from '../schema/global-id.js';
import type { ResourceName } from './resources.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * What the route answers with:
 *  - `one`: a resource (`data`), 404 when `select` reads null;
 *  - `list`: a connection at `select`, answered as a list with `pagination`;
 *  - `session`: `{ token, user }`;
 *  - `none`: 204, no body.
 */
export type Answer =
  { kind: 'one'; resource: ResourceName } | { kind: 'list'; resource: ResourceName } | { kind: 'session' } | { kind: 'none' };

/** A JSON body, passed as the variable `$input` (of the GraphQL input type `type`). */
export type BodySpec = {
  type: string;
  /** Variables the route adds to the input from the path (`{ postId: 'id' }`: input.postId = path id). */
  fromPath?: Record<string, string>;
};

export type Route = {
  method: Method;
  /** The URL template: `{name}` is a path parameter, passed as the variable `$name`. */
  path: string;
  operationId: string;
  summary: string;
  /** The GraphQL operation; `...User`, `...Post`, `...Comment` spread ./resources.ts's fragments. */
  document: string;
  /** Where the answer sits in `data` (dot-separated). */
  select: string;
  answer: Answer;
  status: 200 | 201 | 204;
  /** The node type each path parameter names: a malformed id is 400, another type's id 404. */
  pathIds?: Record<string, NodeTypename>;
  /** A viewer is needed: anonymous requests are 401 before anything runs. */
  signedIn?: boolean;
  body?: BodySpec;
  /** Query parameters beside limit/cursor/fields, passed as variables of the same name. */
  query?: Record<string, QueryParam>;
  /** Takes `?sort=` (post lists): the variable `$order`. */
  sortable?: boolean;
  /** Sign-up and log-in: Idempotency-Key is ignored (rest.md). */
  ignoresIdempotencyKey?: boolean;
  /** Another document for when this query parameter is given (`GET /v1/posts?author=`). */
  variant?: { when: string; document: string; select: string };
  /** The Location of what a 201 created, from its id. */
  location?: (id: string) => string;
};

export type QueryParam = { description: string; kind: 'text' | 'id'; idType?: NodeTypename; maxLength?: number };

const LIST_PAGE = 'first: $limit, after: $cursor';
const PAGE_VARIABLES = '$limit: Int, $cursor: String';
const edges = (spread: string) => `edges { node { ...${spread} } } pageInfo { hasNextPage endCursor }`;
const userLocation = (id: string) => `/v1/users/${encodeURIComponent(id)}`;
const postLocation = (id: string) => `/v1/posts/${encodeURIComponent(id)}`;
const commentLocation = (id: string) => `/v1/comments/${encodeURIComponent(id)}`;

/** PUT or DELETE /v1/me/following/{user_id} and /v1/me/likes/{post_id}: a relationship mutation, 204. */
function relation(method: 'PUT' | 'DELETE', collection: 'following' | 'likes', mutation: string, summary: string): Route {
  const [param, argument, typename] =
    collection === 'following' ? (['user_id', 'userId', 'User'] as const) : (['post_id', 'postId', 'Post'] as const);
  const operation = mutation[0]!.toUpperCase() + mutation.slice(1);
  return {
    method,
    path: `/v1/me/${collection}/{${param}}`,
    operationId: mutation,
    summary,
    document: `mutation ${operation}($${param}: ID!) { ${mutation}(${argument}: $${param}) { id } }`,
    select: mutation,
    answer: { kind: 'none' },
    status: 204,
    pathIds: { [param]: typename },
    signedIn: true,
  };
}

export const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/users',
    operationId: 'signUp',
    summary: 'Sign up: create an account and a token for it.',
    document: 'mutation SignUp($input: CreateUserInput!) { createUser(input: $input) { token user { ...User } } }',
    select: 'createUser',
    answer: { kind: 'session' },
    status: 201,
    body: { type: 'CreateUserInput' },
    ignoresIdempotencyKey: true,
    location: userLocation,
  },
  {
    method: 'POST',
    path: '/v1/sessions',
    operationId: 'logIn',
    summary: 'Log in with email and password: a new token.',
    document: 'mutation LogIn($input: LogInInput!) { logIn(input: $input) { token user { ...User } } }',
    select: 'logIn',
    answer: { kind: 'session' },
    status: 201,
    body: { type: 'LogInInput' },
    ignoresIdempotencyKey: true,
  },
  {
    method: 'DELETE',
    path: '/v1/sessions',
    operationId: 'logOut',
    summary: 'Log out: revoke every token of the viewer issued until now.',
    document: 'mutation LogOut { logOut }',
    select: 'logOut',
    answer: { kind: 'none' },
    status: 204,
    signedIn: true,
  },
  {
    method: 'GET',
    path: '/v1/me',
    operationId: 'getMe',
    summary: 'The signed-in user.',
    document: 'query GetMe { viewer { ...User } }',
    select: 'viewer',
    answer: { kind: 'one', resource: 'User' },
    status: 200,
    signedIn: true,
  },
  {
    method: 'GET',
    path: '/v1/me/feed',
    operationId: 'getFeed',
    summary: "The viewer's home feed: their own posts and those of everyone they follow.",
    document: `query GetFeed(${PAGE_VARIABLES}, $order: PostOrder) { feed(${LIST_PAGE}, order: $order) { ${edges('Post')} } }`,
    select: 'feed',
    answer: { kind: 'list', resource: 'Post' },
    status: 200,
    signedIn: true,
    sortable: true,
  },
  relation('PUT', 'following', 'followUser', 'Follow a user (idempotent).'),
  relation('DELETE', 'following', 'unfollowUser', 'Stop following a user (idempotent).'),
  relation('PUT', 'likes', 'likePost', 'Like a post (idempotent).'),
  relation('DELETE', 'likes', 'unlikePost', 'Take back a like (idempotent).'),
  {
    method: 'GET',
    path: '/v1/users',
    operationId: 'listUsers',
    summary: 'Users, newest first; `search` keeps those whose name contains it, ignoring case.',
    document: `query ListUsers(${PAGE_VARIABLES}, $search: String) { users(${LIST_PAGE}, search: $search) { ${edges('User')} } }`,
    select: 'users',
    answer: { kind: 'list', resource: 'User' },
    status: 200,
    query: {
      search: {
        description: 'Only users whose name contains this text, ignoring case (at most 100 characters).',
        kind: 'text',
        maxLength: 100,
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/users/{id}',
    operationId: 'getUser',
    summary: 'One user.',
    document: 'query GetUser($id: ID!) { user(id: $id) { ...User } }',
    select: 'user',
    answer: { kind: 'one', resource: 'User' },
    status: 200,
    pathIds: { id: 'User' },
  },
  {
    method: 'PATCH',
    path: '/v1/users/{id}',
    operationId: 'updateUser',
    summary: 'Change your own name and/or email.',
    document: 'mutation UpdateUser($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { ...User } }',
    select: 'updateUser',
    answer: { kind: 'one', resource: 'User' },
    status: 200,
    pathIds: { id: 'User' },
    signedIn: true,
    body: { type: 'UpdateUserInput' },
  },
  {
    method: 'DELETE',
    path: '/v1/users/{id}',
    operationId: 'deleteUser',
    summary: 'Delete your own account and everything it wrote.',
    document: 'mutation DeleteUser($id: ID!) { deleteUser(id: $id) }',
    select: 'deleteUser',
    answer: { kind: 'none' },
    status: 204,
    pathIds: { id: 'User' },
    signedIn: true,
  },
  {
    method: 'GET',
    path: '/v1/users/{id}/posts',
    operationId: 'listUserPosts',
    summary: "A user's posts.",
    document: `query ListUserPosts($id: ID!, ${PAGE_VARIABLES}, $order: PostOrder) { user(id: $id) { posts(${LIST_PAGE}, order: $order) { ${edges('Post')} } } }`,
    select: 'user.posts',
    answer: { kind: 'list', resource: 'Post' },
    status: 200,
    pathIds: { id: 'User' },
    sortable: true,
  },
  {
    method: 'GET',
    path: '/v1/users/{id}/followers',
    operationId: 'listFollowers',
    summary: 'The people who follow a user, most recent follow first.',
    document: `query ListFollowers($id: ID!, ${PAGE_VARIABLES}) { user(id: $id) { followers(${LIST_PAGE}) { ${edges('User')} } } }`,
    select: 'user.followers',
    answer: { kind: 'list', resource: 'User' },
    status: 200,
    pathIds: { id: 'User' },
  },
  {
    method: 'GET',
    path: '/v1/users/{id}/following',
    operationId: 'listFollowing',
    summary: 'The people a user follows, most recent follow first.',
    document: `query ListFollowing($id: ID!, ${PAGE_VARIABLES}) { user(id: $id) { following(${LIST_PAGE}) { ${edges('User')} } } }`,
    select: 'user.following',
    answer: { kind: 'list', resource: 'User' },
    status: 200,
    pathIds: { id: 'User' },
  },
  {
    method: 'GET',
    path: '/v1/posts',
    operationId: 'listPosts',
    summary: 'Posts; `author` keeps one user’s.',
    document: `query ListPosts(${PAGE_VARIABLES}, $order: PostOrder) { posts(${LIST_PAGE}, order: $order) { ${edges('Post')} } }`,
    select: 'posts',
    answer: { kind: 'list', resource: 'Post' },
    status: 200,
    sortable: true,
    query: { author: { description: 'Only this user’s posts (a User id).', kind: 'id', idType: 'User' } },
    // A user's posts are read as GET /v1/users/{id}/posts reads them; an author that does not
    // exist has no posts (an empty list, as any filter matching nothing).
    variant: {
      when: 'author',
      document: `query ListPostsByAuthor($author: ID!, ${PAGE_VARIABLES}, $order: PostOrder) { user(id: $author) { posts(${LIST_PAGE}, order: $order) { ${edges('Post')} } } }`,
      select: 'user.posts',
    },
  },
  {
    method: 'POST',
    path: '/v1/posts',
    operationId: 'createPost',
    summary: 'Publish a post as the viewer.',
    document: 'mutation CreatePost($input: CreatePostInput!) { createPost(input: $input) { ...Post } }',
    select: 'createPost',
    answer: { kind: 'one', resource: 'Post' },
    status: 201,
    signedIn: true,
    body: { type: 'CreatePostInput' },
    location: postLocation,
  },
  {
    method: 'GET',
    path: '/v1/posts/{id}',
    operationId: 'getPost',
    summary: 'One post.',
    document: 'query GetPost($id: ID!) { post(id: $id) { ...Post } }',
    select: 'post',
    answer: { kind: 'one', resource: 'Post' },
    status: 200,
    pathIds: { id: 'Post' },
  },
  {
    method: 'PATCH',
    path: '/v1/posts/{id}',
    operationId: 'updatePost',
    summary: 'Edit a post (its author only).',
    document: 'mutation UpdatePost($id: ID!, $input: UpdatePostInput!) { updatePost(id: $id, input: $input) { ...Post } }',
    select: 'updatePost',
    answer: { kind: 'one', resource: 'Post' },
    status: 200,
    pathIds: { id: 'Post' },
    signedIn: true,
    body: { type: 'UpdatePostInput' },
  },
  {
    method: 'DELETE',
    path: '/v1/posts/{id}',
    operationId: 'deletePost',
    summary: 'Delete a post (its author only) with its comments and likes.',
    document: 'mutation DeletePost($id: ID!) { deletePost(id: $id) }',
    select: 'deletePost',
    answer: { kind: 'none' },
    status: 204,
    pathIds: { id: 'Post' },
    signedIn: true,
  },
  {
    method: 'GET',
    path: '/v1/posts/{id}/comments',
    operationId: 'listComments',
    summary: 'Comments on a post, oldest first.',
    document: `query ListComments($id: ID!, ${PAGE_VARIABLES}) { post(id: $id) { comments(${LIST_PAGE}) { ${edges('Comment')} } } }`,
    select: 'post.comments',
    answer: { kind: 'list', resource: 'Comment' },
    status: 200,
    pathIds: { id: 'Post' },
  },
  {
    method: 'POST',
    path: '/v1/posts/{id}/comments',
    operationId: 'createComment',
    summary: 'Comment on a post as the viewer.',
    document: 'mutation CreateComment($input: CreateCommentInput!) { createComment(input: $input) { ...Comment } }',
    select: 'createComment',
    answer: { kind: 'one', resource: 'Comment' },
    status: 201,
    pathIds: { id: 'Post' },
    signedIn: true,
    body: { type: 'CreateCommentInput', fromPath: { postId: 'id' } },
    location: commentLocation,
  },
  {
    method: 'GET',
    path: '/v1/comments/{id}',
    operationId: 'getComment',
    summary: 'One comment.',
    document: 'query GetComment($id: ID!) { node(id: $id) { ...Comment } }',
    select: 'node',
    answer: { kind: 'one', resource: 'Comment' },
    status: 200,
    pathIds: { id: 'Comment' },
  },
  {
    method: 'DELETE',
    path: '/v1/comments/{id}',
    operationId: 'deleteComment',
    summary: "Delete a comment (its author or the post's author).",
    document: 'mutation DeleteComment($id: ID!) { deleteComment(id: $id) }',
    select: 'deleteComment',
    answer: { kind: 'none' },
    status: 204,
    pathIds: { id: 'Comment' },
    signedIn: true,
  },
];
