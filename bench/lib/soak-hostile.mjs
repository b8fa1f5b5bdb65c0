// What the soak's hostile clients send (about 2 % of its requests), and the answer each must
// get: the guard's refusal with its status and contract code, or, for the over-budget burst and
// the password guesser, an answer until the budget is spent and 429 RATE_LIMITED after it.
// Anything else (a 500, a hang, a refusal of the wrong kind) is an unexpected answer.
// Each kind comes from its own forwarded address, so its budget is its own.
import { signToken } from './tokens.mjs';

const deepQuery = () => {
  let selection = 'id';
  for (let level = 0; level < 12; level++) selection = `author { posts(first: 1) { edges { node { ${selection} } } } }`;
  return `query tooDeep { posts(first: 1) { edges { node { ${selection} } } } }`;
};
const TOO_DEEP = deepQuery();
const TOO_COSTLY =
  'query tooCostly { posts(first: 100) { edges { node { comments(first: 100) { edges { node { body author { name } } } } } } } }';
/** 901 points: under the per-operation limit (1000), dear enough that a few bursts spend a 10,000-point budget. */
const DEAR = 'query dear { posts(first: 100) { edges { node { title comments(first: 1) { edges { node { body author { name } } } } } } } }';
/** @default 1048576 + 1 KiB: over MAX_BODY_BYTES's default by a little, as a client would be by a lot. */
const OVERSIZED_BYTES = 1024 * 1024 + 1024;
/** @default 6 requests at once per over-budget burst. */
const BURST = 6;

/** refusedWith(status, code): the answer a guard must give; anything else is unexpected. */
const refusedWith = (status, code) => (answer) => (answer.status === status && codeOf(answer.body) === code ? 'refused' : null);
/** An answer with data (under budget), or 429 RATE_LIMITED (over it). */
const answeredOrRateLimited =
  (code = null) =>
  (answer) => {
    if (answer.status === 429 && codeOf(answer.body) === 'RATE_LIMITED') return 'refused';
    if (answer.status === 200 && (code ? codeOf(answer.body) === code : answer.body?.data && !answer.body.errors)) return 'accepted';
    return null;
  };

const codeOf = (body) => body?.errors?.[0]?.extensions?.code ?? null;

/**
 * The kinds, in the order they take turns. `requests(url, n, tokens)`: the request(s) of the n-th
 * turn (a burst is several at once); `judge(answer)`: 'refused' | 'accepted' | null (unexpected).
 */
export const HOSTILE_KINDS = [
  { name: 'too deep', requests: (url) => [graphql(url, { query: TOO_DEEP }, 1)], judge: refusedWith(200, 'QUERY_TOO_DEEP') },
  { name: 'too costly', requests: (url) => [graphql(url, { query: TOO_COSTLY }, 2)], judge: refusedWith(200, 'QUERY_TOO_COMPLEX') },
  {
    name: 'malformed JSON',
    requests: (url) => [raw(url, '{"query": "{ __typename }', 3)],
    judge: refusedWith(400, 'BAD_REQUEST'),
  },
  {
    name: '1 MiB body',
    requests: (url) => [raw(url, JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(OVERSIZED_BYTES) } }), 4)],
    judge: refusedWith(413, 'PAYLOAD_TOO_LARGE'),
  },
  {
    name: 'bad token',
    requests: (url, n, tokens) => [graphql(url, { query: 'query me { viewer { id } }' }, 5, tokens.bad[n % tokens.bad.length])],
    judge: refusedWith(200, 'UNAUTHENTICATED'),
  },
  {
    // A fresh name each time: were the server to make a metric label of it, its series would grow without end.
    name: 'unknown operation name',
    requests: (url, n) => [graphql(url, { query: 'query known { __typename }', operationName: `unknown${n}` }, 6)],
    judge: refusedWith(400, 'BAD_REQUEST'),
  },
  {
    name: 'wrong password',
    requests: (url) => [
      graphql(
        url,
        {
          query: 'mutation logIn($input: LogInInput!) { logIn(input: $input) { token } }',
          variables: { input: { email: 'nobody@soak.bench.invalid', password: 'not-the-password' } },
        },
        7,
      ),
    ],
    judge: answeredOrRateLimited('UNAUTHENTICATED'),
  },
  {
    name: 'over budget',
    requests: (url) => Array.from({ length: BURST }, () => graphql(url, { query: DEAR }, 8)),
    judge: answeredOrRateLimited(),
  },
];

/** Tokens the server must reject: garbage, signed with another secret, and expired. */
export async function badTokens() {
  return [
    'not.a.token',
    await signToken(1, { secret: 'a-different-secret-of-at-least-32-characters' }),
    await signToken(1, { ttlSeconds: -3600 }),
  ];
}

const headers = (client, token) => ({
  'content-type': 'application/json',
  'x-forwarded-for': `203.0.113.${client}`,
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});
const graphql = (url, body, client, token) => ({ method: 'POST', url, headers: headers(client, token), body: JSON.stringify(body) });
const raw = (url, body, client) => ({ method: 'POST', url, headers: headers(client), body });
