// REST v1 against the GraphQL it runs, in one run: GET /v1/posts/{id} and GET /v1/posts?limit=20,
// each paired with the POST /graphql a client would send for the same data, selecting exactly
// what the route selects (the Post fragment of src/rest/resources.ts; the list with its pageInfo).
// Only builds of ours serve REST (ours, and baseline in an A/B); the other servers get neither.
// The REST answer is mapped back onto its pair's GraphQL shape, so that the equality check before
// any load holds the two to the same data.

const POST_FIELDS = 'id title content author { id name } createdAt updatedAt commentsCount likesCount viewerHasLiked';

const GRAPHQL_QUERIES = {
  post: `query post($id: ID!) { post(id: $id) { ${POST_FIELDS} } }`,
  posts: `query posts { posts(first: 20) { edges { node { ${POST_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
};

/** Each REST operation and the GraphQL operation it is measured against. */
export const REST_PAIRS = { 'rest-post': 'post', 'rest-posts': 'posts' };
/** In run order: each GraphQL operation right before its REST pair, so the pair's check has its reference. */
export const REST_OPERATION_NAMES = Object.entries(REST_PAIRS).flatMap(([rest, graphql]) => [graphql, rest]);

export const isRestOperation = (operation) => Object.hasOwn(REST_PAIRS, operation);

/**
 * The four requests for a server that serves REST, with the same fixtures as the other operations:
 * `node`'s post, and the newest page that `posts` starts with. Anonymous, as `node` and `deep-page`.
 */
export function buildRestRequests(server, fixtures) {
  const graphql = (operation, variables) => ({
    method: 'POST',
    url: server.url,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: GRAPHQL_QUERIES[operation], operationName: operation, variables }),
  });
  const rest = (pathAndQuery) => ({ method: 'GET', url: new URL(pathAndQuery, server.url).href, headers: { accept: 'application/json' } });
  return {
    post: graphql('post', { id: fixtures.postId }),
    'rest-post': rest(`/v1/posts/${encodeURIComponent(fixtures.postId)}`),
    posts: graphql('posts', {}),
    'rest-posts': rest('/v1/posts?limit=20'),
  };
}

/** A REST answer (the whole envelope) as its GraphQL pair's `data`; undefined when it is no success. */
export function restAnswerAsGraphQL(operation, body) {
  if (body?.success !== true) return undefined;
  if (operation === 'rest-post') return { post: camelKeys(body.data) };
  return {
    posts: {
      edges: body.data.map((post) => ({ node: camelKeys(post) })),
      pageInfo: { hasNextPage: body.pagination.has_more, endCursor: body.pagination.next_cursor },
    },
  };
}

/**
 * Per REST route and server that ran both: req/s of REST ÷ its GraphQL pair, and the statements
 * per request of each (issue's target: ≥ 0.9×, the same statements).
 */
export function restVersusGraphQL(operations) {
  const rows = [];
  for (const [restOperation, graphqlOperation] of Object.entries(REST_PAIRS)) {
    for (const [server, rest] of Object.entries(operations[restOperation] ?? {})) {
      const graphql = operations[graphqlOperation]?.[server];
      if (!graphql) continue;
      rows.push({
        operation: restOperation,
        pairedWith: graphqlOperation,
        server,
        restRps: rest.rps,
        graphqlRps: graphql.rps,
        ratio: graphql.rps > 0 ? Math.round((rest.rps / graphql.rps) * 100) / 100 : null,
        restStatementsPerRequest: rest.statementsPerRequest,
        graphqlStatementsPerRequest: graphql.statementsPerRequest,
      });
    }
  }
  return rows;
}

/** The REST rows as a markdown table, or '' when the run had none. */
export function formatRestTable(rows) {
  if (rows.length === 0) return '';
  const lines = [
    '| REST operation | GraphQL pair | server | REST req/s | GraphQL req/s | REST ÷ GraphQL | statements/req REST | statements/req GraphQL |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const ratio = row.ratio === null ? 'n/a (0 req/s)' : `${row.ratio.toFixed(2)}×`;
    lines.push(
      `| ${row.operation} | ${row.pairedWith} | ${row.server} | ${row.restRps} | ${row.graphqlRps} | ${ratio} | ${row.restStatementsPerRequest} | ${row.graphqlStatementsPerRequest} |`,
    );
  }
  return lines.join('\n');
}

// REST names are the GraphQL names in snake_case (the fragment's aliases): created_at → createdAt.
function camelKeys(value) {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), camelKeys(inner)]),
  );
}
