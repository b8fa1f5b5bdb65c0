// The `postgraphile` server of issue 5: PostGraphile 5 in library mode on plain node:http (grafserv's
// node adapter), pointed at the bench database: the Postgres GraphQL server a user would pick
// instead of ours. Amber preset plus the Relay preset (global node ids, connections), the app's
// tables as they are, and the SQL functions of bench/postgraphile.sql for the counts,
// viewerHasLiked and the feed. It answers the bench's operations in its own schema shape
// (bench/lib/postgraphile-operations.mjs).
//
// env: PORT, DATABASE_URL, DATABASE_POOL_SIZE (@default 16 connections), JWT_SECRET (the same as
// our server's: the feed's viewer comes from a token our server signed, as for raw).

// PostGraphile 5.1 declares Node >= 22 for Promise.withResolvers alone; on Node 20 the polyfill
// is enough. It must exist before postgraphile loads, hence the dynamic imports below.
Promise.withResolvers ??= function withResolvers() {
  let resolve, reject;
  const promise = new this((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

const { readFileSync } = await import('node:fs');
const { createServer } = await import('node:http');
const { jwtVerify } = await import('jose');
const { postgraphile } = await import('postgraphile');
const { PostGraphileAmberPreset } = await import('postgraphile/presets/amber');
const { PostGraphileRelayPreset } = await import('postgraphile/presets/relay');
const { makePgService } = await import('postgraphile/adaptors/pg');
const { grafserv } = await import('postgraphile/grafserv/node');
const { jsonPgSmartTags } = await import('postgraphile/utils');
const { createPool } = await import('./lib/pool.mjs');

// Our own pool, so that its size is the bench's and its pg is bench/node_modules/pg: the one the
// statement counter patches (postgraphile's peer dependency, deduplicated).
const pool = createPool('postgraphile');
await pool.query(readFileSync(new URL('./postgraphile.sql', import.meta.url), 'utf8'));

const secret = new TextEncoder().encode(process.env.JWT_SECRET);

/**
 * The transaction settings of a request: the viewer of a valid bearer token, none otherwise.
 * Only settings cost statements (PostGraphile wraps the request in begin, set_config, commit),
 * so an anonymous request gets none.
 */
async function pgSettingsOf(authorization) {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], issuer: 'social-graphql', audience: 'social-graphql' });
  return { 'jwt.claims.user_id': String(payload.sub), 'jwt.claims.token_version': String(payload.ver) };
}

// What a PostGraphile user hides before going live: the credentials and the tables that are
// nobody's business over GraphQL (idempotency keys, the bench's own marker).
const HideInternals = jsonPgSmartTags({
  version: 1,
  config: {
    class: {
      idempotency_keys: { tags: { behavior: '-*' } },
      bench_dataset: { tags: { behavior: '-*' } },
    },
    attribute: {
      'users.email': { tags: { behavior: '-*' } },
      'users.password_hash': { tags: { behavior: '-*' } },
      'users.token_version': { tags: { behavior: '-*' } },
    },
  },
});

const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileRelayPreset],
  plugins: [HideInternals],
  pgServices: [makePgService({ pool, schemas: ['public', 'postgraphile'] })],
  grafserv: { graphqlPath: '/graphql', graphiql: false, websockets: false, watch: false },
  grafast: {
    explain: false,
    async context(requestContext) {
      const pgSettings = await pgSettingsOf(requestContext.node?.req?.headers.authorization);
      return pgSettings ? { pgSettings } : {};
    },
  },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
await serv.addTo(server);
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
