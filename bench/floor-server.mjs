// The `floor` of issue 13: what graphql-yoga 5 and graphql-jit allow on this machine, with the
// rest as cheap as it gets. yoga (the versions ours runs) on node:http, a schema of our shape
// for the bench's four operations (the types, field and argument names they select; our global
// ids and cursors in), and each root field answered by ONE named prepared statement through a
// pg.Pool of the bench's size: the statement builds the field's whole JSON tree
// (lib/json-statements.mjs, raw's SQL), and every nested field is graphql's default property
// resolver. No guards, no DataLoaders, no plugins of ours: the gap between ours and this is
// what ours spends on top of yoga and Postgres, not theirs.
//
// The page sizes are the statements' (feed 20, its comments 3, posts 20, a profile's pages 10),
// as raw's: `first` is declared and not read. Node.id is declared (an interface needs a field)
// and not filled: no operation selects it.
//
// env: PORT, HOST (@default 127.0.0.1), DATABASE_URL, DATABASE_POOL_SIZE (@default 16
// connections), JWT_SECRET (the same as our server's: the feed's viewer comes from a token our
// server signed).
import { createServer } from 'node:http';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createSchema, createYoga } from 'graphql-yoga';
import { paramsOf, statementsReturning } from './lib/json-statements.mjs';
import { createPool } from './lib/pool.mjs';

const pool = createPool('floor');
const secret = new TextEncoder().encode(process.env.JWT_SECRET);
// json, not text: pg parses it, and the resolvers below read fields from it.
const STATEMENTS = statementsReturning('json');

const typeDefs = /* GraphQL */ `
  scalar DateTime

  interface Node {
    id: ID!
  }

  type Query {
    feed(first: Int, after: String): PostConnection!
    user(id: ID!): User
    posts(first: Int, after: String): PostConnection!
    node(id: ID!): Node
  }

  type User implements Node {
    id: ID!
    name: String!
    followersCount: Int!
    posts(first: Int, after: String): PostConnection!
    followers(first: Int, after: String): UserConnection!
  }

  type Post implements Node {
    id: ID!
    title: String!
    createdAt: DateTime!
    author: User!
    commentsCount: Int!
    likesCount: Int!
    viewerHasLiked: Boolean!
    comments(first: Int, after: String): CommentConnection!
  }

  type Comment implements Node {
    id: ID!
    body: String!
    author: User!
  }

  type PostConnection {
    edges: [PostEdge!]!
  }
  type PostEdge {
    node: Post!
  }
  type UserConnection {
    edges: [UserEdge!]!
  }
  type UserEdge {
    node: User!
  }
  type CommentConnection {
    edges: [CommentEdge!]!
  }
  type CommentEdge {
    node: Comment!
  }
`;

/**
 * The root field's value: the `data` key `field` of its statement's one row, as pg parsed it.
 * The feed checks the token's version in the same statement (its viewer CTE), as raw does.
 */
async function readRoot(operation, field, args, request) {
  const params = await paramsOf(operation, args, request.headers.get('authorization'), secret);
  if (!params) throw new Error(`${field}: missing or malformed arguments`);
  const { rows } = await pool.query({ name: operation, text: STATEMENTS[operation], values: params });
  return rows[0].data[field];
}

const resolvers = {
  Query: {
    feed: (_root, args, { request }) => readRoot('feed', 'feed', args, request),
    user: (_root, args, { request }) => readRoot('profile', 'user', args, request),
    posts: (_root, args, { request }) => readRoot('deepPage', 'posts', args, request),
    node: (_root, args, { request }) => readRoot('node', 'node', args, request),
  },
  // node(id) reads posts only (its statement's), as raw's does.
  Node: { __resolveType: () => 'Post' },
};

const yoga = createYoga({
  schema: createSchema({ typeDefs, resolvers }),
  plugins: [useGraphQlJit()],
  // As ours: yoga's maxRequestBodySize wraps every body in a counting stream and a new Request,
  // which costs small operations a fifth of their throughput (src/limits/body-size.ts).
  maxRequestBodySize: false,
  graphiql: false,
  landingPage: false,
  logging: false,
});

createServer(yoga.requestListener).listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
