// Automatic persisted queries (Apollo's protocol), and PERSISTED_OPERATIONS=only with a manifest
// built by `npm run persisted:build`.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { errorOf } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

async function post(app: TestApp, body: Record<string, unknown>) {
  const before = app.database.statementCount;
  const res = await app.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), statements: app.database.statementCount - before };
}

describe('automatic persisted queries', () => {
  const query = `{ posts(first: 1) { edges { cursor } } }`;
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });

  test('an unknown hash alone is PERSISTED_QUERY_NOT_FOUND with 200; with its query it runs and is kept', async () => {
    const unknown = await post(app, { extensions: persisted(sha256(query)) });
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    expect(unknown.statements).toBe(0);

    const registered = await post(app, { query, extensions: persisted(sha256(query)) });
    expect(registered.status).toBe(200);
    expect(registered.body.data.posts.edges).toEqual([]);

    const byHash = await post(app, { extensions: persisted(sha256(query)) });
    expect(byHash.body).toEqual(registered.body);
  });

  test('the hash alone works over GET too, as APQ links send it', async () => {
    await post(app, { query, extensions: persisted(sha256(query)) });
    const params = new URLSearchParams({ extensions: JSON.stringify(persisted(sha256(query))) });
    const res = await app.fetch(`/graphql?${params}`);
    expect(res.status).toBe(200);
    expect((await res.json()).data.posts.edges).toEqual([]);
  });

  test('a hash that is not its query’s is PERSISTED_QUERY_MISMATCH with 200', async () => {
    const res = await post(app, { query, extensions: persisted(sha256('something else')) });
    expect(res.status).toBe(200);
    expect(res.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_MISMATCH');
  });

  test('a persisted document is guarded like any other, with its variables', async () => {
    const page = `query($n: Int) { posts(first: $n) { edges { node { comments(first: 100) { edges { cursor } } } } } }`;
    await post(app, { query: page, variables: { n: 1 }, extensions: persisted(sha256(page)) });
    const res = await post(app, { variables: { n: 100 }, extensions: persisted(sha256(page)) });
    expect(res.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });
});

describe('PERSISTED_OPERATIONS=only', () => {
  const posts = 'query Posts($first: Int) { posts(first: $first) { edges { cursor } } }\n';
  let app: TestApp;
  let manifestPath: string;
  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'persisted-'));
    await writeFile(path.join(dir, 'posts.graphql'), posts);
    await writeFile(path.join(dir, 'viewer.graphql'), 'query Viewer { viewer { id } }\n');
    manifestPath = path.join(dir, 'manifest.json');
    await promisify(execFile)('npx', ['tsx', 'src/scripts/build-persisted.ts', '--out', manifestPath, dir]);
    app = await startTestApp({ env: { PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: manifestPath } });
  });

  test('persisted:build keys each document by the sha256 of its text', async () => {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    expect(manifest[sha256(posts)]).toBe(posts);
    expect(Object.keys(manifest)).toHaveLength(2);
  });

  test("the manifest's operations run by hash, or by their exact text", async () => {
    const byHash = await post(app, { variables: { first: 1 }, extensions: persisted(sha256(posts)) });
    expect(byHash.body.data).toEqual({ posts: { edges: [] } });
    const byText = await post(app, { query: posts });
    expect(byText.body.data).toEqual({ posts: { edges: [] } });
  });

  test('anything else is PERSISTED_QUERY_ONLY (400), before any SQL', async () => {
    for (const body of [{ query: '{ viewer { id } }' }, { extensions: persisted(sha256('{ viewer { id } }')) }]) {
      const res = await post(app, body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
      expect(res.statements).toBe(0);
    }
  });

  test('a hash sent with another text is PERSISTED_QUERY_MISMATCH', async () => {
    const res = await post(app, { query: '{ viewer { id } }', extensions: persisted(sha256(posts)) });
    expect(res.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_MISMATCH');
  });

  test('a manifest operation is still guarded by its variables', async () => {
    const res = await post(app, { variables: { first: 0 }, extensions: persisted(sha256(posts)) });
    expect(errorOf({ errors: res.body.errors }).code).toBe('BAD_USER_INPUT');
  });

  test('persisted:build refuses a document that does not validate', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'persisted-bad-'));
    await writeFile(path.join(dir, 'bad.graphql'), '{ nope }\n');
    const run = promisify(execFile)('npx', ['tsx', 'src/scripts/build-persisted.ts', '--out', path.join(dir, 'm.json'), dir]);
    await expect(run).rejects.toMatchObject({ stderr: expect.stringContaining('Cannot query field "nope"') });
  });
});
