// What GET answers tell caches in front of the server (the contract's "Caching"):
// CACHE_PUBLIC_MAX_AGE_SECONDS=N lets anonymous answers be kept N seconds; an answer to a request
// with a token, or one with errors, never is. And the cache settings are checked at start.
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { given } from '../support/given.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const POSTS = '{ posts(first: 5) { edges { node { title } } } }';
const FEED = '{ feed(first: 5) { edges { node { title } } } }';

const getGraphQL = (app: TestApp, query: string, session?: Session) =>
  app.fetch(`/graphql?${new URLSearchParams({ query }).toString()}`, {
    headers: { accept: 'application/graphql-response+json', ...session?.headers },
  });

async function appWith(env: Record<string, string>) {
  const app = await startTestApp({ env: { RESPONSE_CACHE_TTL_MS: '60000', ...env } });
  const [ada] = await given(app).users(1);
  await given(app).post({ by: ada! });
  return { app, asAda: await signIn(app, ada!) };
}

describe('CACHE_PUBLIC_MAX_AGE_SECONDS=30', () => {
  test('anonymous GET answers are public for 30 s, on /graphql and /v1 alike, hit or miss', async () => {
    const { app } = await appWith({ CACHE_PUBLIC_MAX_AGE_SECONDS: '30' });
    for (const outcome of ['MISS', 'HIT']) {
      const graphql = await getGraphQL(app, POSTS);
      expect(graphql.status).toBe(200);
      expect(graphql.headers.get('x-cache')).toBe(outcome);
      expect(graphql.headers.get('cache-control')).toBe('public, max-age=30');
      expect(graphql.headers.get('vary')).toContain('Authorization');
      const rest = await app.fetch('/v1/posts');
      expect(rest.status).toBe(200);
      expect(rest.headers.get('cache-control')).toBe('public, max-age=30');
      expect(rest.headers.get('vary')).toContain('Authorization');
    }
  });

  test('GET answers to a request with a token stay private, no-cache', async () => {
    const { app, asAda } = await appWith({ CACHE_PUBLIC_MAX_AGE_SECONDS: '30' });
    for (let i = 0; i < 2; i++) {
      expect((await getGraphQL(app, POSTS, asAda)).headers.get('cache-control')).toBe('private, no-cache');
      expect((await app.fetch('/v1/posts', { headers: asAda.headers })).headers.get('cache-control')).toBe('private, no-cache');
    }
  });

  test('an anonymous GET answered with errors stays no-cache', async () => {
    const { app } = await appWith({ CACHE_PUBLIC_MAX_AGE_SECONDS: '30' });
    const res = await getGraphQL(app, FEED);
    expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });
});

test('a hit carries the ETag of the miss before it: If-None-Match of either is 304', async () => {
  const { app, asAda } = await appWith({});
  for (const session of [undefined, asAda]) {
    const miss = await getGraphQL(app, POSTS, session);
    expect(miss.headers.get('x-cache')).toBe('MISS');
    const etag = miss.headers.get('etag')!;
    const hit = await getGraphQL(app, POSTS, session);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.headers.get('etag')).toBe(etag);
    const revalidated = await app.fetch(`/graphql?${new URLSearchParams({ query: POSTS }).toString()}`, {
      headers: { accept: 'application/graphql-response+json', 'if-none-match': etag, ...session?.headers },
    });
    expect(revalidated.status).toBe(304);
  }
});

test('unset, anonymous GET answers are no-cache', async () => {
  const { app } = await appWith({});
  expect((await getGraphQL(app, POSTS)).headers.get('cache-control')).toBe('no-cache');
  expect((await app.fetch('/v1/posts')).headers.get('cache-control')).toBe('no-cache');
});

describe('configuration', () => {
  test.each([
    ['CACHE_PUBLIC_MAX_AGE_SECONDS', 'abc'],
    ['CACHE_PUBLIC_MAX_AGE_SECONDS', '-1'],
    ['RESPONSE_CACHE_TTL_MS', '0'],
    ['RESPONSE_CACHE_TTL_MS', 'soon'],
    ['RESPONSE_CACHE', 'maybe'],
  ])('%s=%s is refused at start, naming the variable, the value and what it takes', (name, value) => {
    const load = () => loadConfig({ [name]: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(new RegExp(`${name} must be .+ \\(got "${value}"\\)`));
  });

  test('the defaults: the cache on for 5 s, anonymous answers no-cache', () => {
    expect(loadConfig({}).cache).toEqual({ responses: true, ttlMs: 5000, publicMaxAgeSeconds: null });
  });

  test('RESPONSE_CACHE=false, a TTL and a public max-age are read as given', () => {
    const config = loadConfig({ RESPONSE_CACHE: 'false', RESPONSE_CACHE_TTL_MS: '250', CACHE_PUBLIC_MAX_AGE_SECONDS: '0' });
    expect(config.cache).toEqual({ responses: false, ttlMs: 250, publicMaxAgeSeconds: 0 });
  });
});
