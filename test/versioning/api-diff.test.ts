// api:diff's judgement on pairs of API versions: what is breaking in GraphQL and in OpenAPI, and
// when CHANGELOG.md lets a breaking change through.
import { buildSchema } from 'graphql';
import { describe, expect, test } from 'vitest';
import { createDeprecationRegistry } from '../../src/api/deprecation-registry.js';
import type { ApiChange } from '../../src/versioning/api-change.js';
import { graphqlChanges } from '../../src/versioning/graphql-diff.js';
import { openapiChanges } from '../../src/versioning/openapi-diff.js';
import type { Json } from '../../src/versioning/openapi-json.js';
import { registryMismatches } from '../../src/versioning/registry-check.js';
import { refusals } from '../../src/versioning/verdict.js';

const SDL = 'type Post { id: ID!, title: String!, likesCount: Int! } type Query { posts(first: Int): [Post!]! }';

const breakingTargets = (changes: ApiChange[]) => changes.filter((change) => change.level === 'breaking').map((change) => change.target);

describe('GraphQL', () => {
  test('a field removed is breaking, named by its coordinate', async () => {
    const changes = await graphqlChanges(SDL, SDL.replace(', likesCount: Int!', ''));
    expect(breakingTargets(changes)).toEqual(['Post.likesCount']);
  });

  test('a field added is not breaking', async () => {
    const changes = await graphqlChanges(SDL, SDL.replace('title: String!', 'title: String!, body: String'));
    expect(changes.map((change) => [change.level, change.target])).toEqual([['non-breaking', 'Post.body']]);
  });

  test('an argument removed is breaking, named `Type.field(arg:)`', async () => {
    const changes = await graphqlChanges(SDL, SDL.replace('(first: Int)', ''));
    expect(breakingTargets(changes)).toEqual(['Query.posts(first:)']);
  });

  test('a field newly deprecated is reported as a deprecation, not a break', async () => {
    const changes = await graphqlChanges(SDL, SDL.replace('likesCount: Int!', 'likesCount: Int! @deprecated(reason: "Use likes.")'));
    expect(changes.map((change) => [change.level, change.target])).toEqual([['deprecation', 'Post.likesCount']]);
  });
});

/** A small OpenAPI document: GET /v1/posts/{id} returning a Post, and POST /v1/posts. */
function api(change?: (doc: any) => void): Json {
  const doc = {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/v1/posts/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          parameters: [{ name: 'fields', in: 'query', schema: { type: 'string' } }],
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Post' } } } } },
        },
      },
      '/v1/posts': {
        post: {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { type: 'object', required: ['title'], properties: { title: { type: 'string' }, body: { type: 'string' } } },
              },
            },
          },
          responses: { '201': { description: 'created' } },
        },
      },
    },
    components: {
      schemas: {
        Post: {
          type: 'object',
          required: ['id', 'title', 'status'],
          properties: {
            id: { type: 'string' },
            title: { type: 'string' },
            status: { enum: ['draft', 'published'] },
            author: { $ref: '#/components/schemas/Post' },
          },
        },
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
  change?.(doc);
  return doc;
}

describe('OpenAPI', () => {
  test('the same document has no changes, even with a recursive schema', () => {
    expect(openapiChanges(api(), api())).toEqual([]);
  });

  test('a response property removed is breaking', () => {
    const changes = openapiChanges(
      api(),
      api((doc) => delete doc.components.schemas.Post.properties.title),
    );
    expect(breakingTargets(changes)).toEqual(['GET /v1/posts/{id}']);
    expect(changes[0]!.message).toMatch(/response 200 application\/json body\.title: removed/);
  });

  test('a required parameter added is breaking; an optional one is not', () => {
    const required = openapiChanges(
      api(),
      api((doc) => doc.paths['/v1/posts/{id}'].get.parameters.push({ name: 'v', in: 'query', required: true })),
    );
    expect(required.map((change) => change.level)).toEqual(['breaking']);
    const optional = openapiChanges(
      api(),
      api((doc) => doc.paths['/v1/posts/{id}'].get.parameters.push({ name: 'v', in: 'query' })),
    );
    expect(optional.map((change) => change.level)).toEqual(['non-breaking']);
  });

  test('a response property that may now be null or absent is breaking; a new one is not', () => {
    const nullable = openapiChanges(
      api(),
      api((doc) => (doc.components.schemas.Post.properties.title.type = ['string', 'null'])),
    );
    expect(nullable.map((change) => change.message)).toEqual(['response 200 application/json body.title: may now be null']);
    const optional = openapiChanges(
      api(),
      api((doc) => (doc.components.schemas.Post.required = ['id', 'status'])),
    );
    expect(optional.map((change) => change.message)).toEqual(['response 200 application/json body.title: may now be absent']);
    const added = openapiChanges(
      api(),
      api((doc) => (doc.components.schemas.Post.properties.likes = { type: 'integer' })),
    );
    expect(added.map((change) => change.level)).toEqual(['non-breaking']);
  });

  test('a request property newly required or narrowed is breaking; a response enum value added is only dangerous', () => {
    const body = (doc: any) => doc.paths['/v1/posts'].post.requestBody.content['application/json'].schema;
    const required = openapiChanges(
      api(),
      api((doc) => body(doc).required.push('body')),
    );
    expect(required.map((change) => change.message)).toEqual(['request body application/json body.body: now required']);
    const narrowed = openapiChanges(
      api(),
      api((doc) => (body(doc).properties.title.maxLength = 10)),
    );
    expect(breakingTargets(narrowed)).toEqual(['POST /v1/posts']);
    const enumAdded = openapiChanges(
      api(),
      api((doc) => doc.components.schemas.Post.properties.status.enum.push('hidden')),
    );
    expect(enumAdded.map((change) => change.level)).toEqual(['dangerous']);
  });

  test('an operation, a response status or a security scheme removed is breaking; a renamed path variable is no change', () => {
    const removed = openapiChanges(
      api(),
      api((doc) => delete doc.paths['/v1/posts']),
    );
    expect(removed).toEqual([{ level: 'breaking', target: 'POST /v1/posts', message: 'operation removed', isRemoval: true }]);
    const status = openapiChanges(
      api(),
      api((doc) => (doc.paths['/v1/posts'].post.responses = { '200': { description: 'ok' } })),
    );
    expect(status.map((change) => [change.level, change.message])).toEqual([
      ['breaking', 'response 201 removed'],
      ['non-breaking', 'response 200 added'],
    ]);
    expect(
      breakingTargets(
        openapiChanges(
          api(),
          api((doc) => delete doc.components.securitySchemes.bearer),
        ),
      ),
    ).toEqual(['#/components/securitySchemes/bearer']);
    const renamed = api((doc) => {
      doc.paths['/v1/posts/{postId}'] = doc.paths['/v1/posts/{id}'];
      delete doc.paths['/v1/posts/{id}'];
      doc.paths['/v1/posts/{postId}'].parameters[0].name = 'postId';
    });
    expect(openapiChanges(api(), renamed)).toEqual([]);
  });
});

describe('the CHANGELOG gate', () => {
  const removal: ApiChange = { level: 'breaking', target: 'Post.likesCount', message: 'removed', isRemoval: true };
  const judge = (changelog: string, deprecations = createDeprecationRegistry([])) =>
    refusals({ changes: [removal], changelog, releasedVersion: '1.4.0\n', deprecations, today: '2027-08-01' });

  test('a breaking change listed under a new major is accepted', () => {
    expect(
      judge('# Changelog\n\n## [Unreleased]\n\n## [2.0.0] - 2027-08-01\n\n### Removed\n\n- `Post.likesCount`\n\n## [1.4.0]\n'),
    ).toEqual([]);
  });

  test('a breaking change listed under the same major is refused', () => {
    expect(judge('## [1.5.0] - 2027-08-01\n\n- `Post.likesCount`\n')).toEqual([
      'breaking changes need a new major version: add a `## [2.0.0]` section at the top of CHANGELOG.md that lists each of them',
    ]);
  });

  test('a new major that does not list the change is refused, even if an older section does', () => {
    expect(judge('## [2.0.0]\n\n- `Post.title`\n\n## [1.4.0]\n\n- `Post.likesCount`\n')).toEqual([
      'breaking change to `Post.likesCount` is not listed under 2.0.0 in CHANGELOG.md',
    ]);
  });

  test('a deprecated field removed before its sunset is refused, even when listed', () => {
    const deprecations = createDeprecationRegistry([
      { target: 'Post.likesCount', since: '2027-03-01', sunset: '2027-09-01', reason: 'Use likes.' },
    ]);
    expect(judge('## [2.0.0]\n\n- `Post.likesCount`\n', deprecations)).toEqual([
      'Post.likesCount is removed before its sunset (2027-09-01)',
    ]);
  });
});

describe('the registry and the API agree', () => {
  const schema = buildSchema(`
    type Post { id: ID!, likesCount: Int! @deprecated(reason: "Use likes."), title: String! }
    type Query { posts(page: Int @deprecated(reason: "Use after.")): [Post!]! }
  `);
  const entry = (target: string) => ({ target, since: '2027-01-15', sunset: '2027-07-15', reason: 'Use something else.' });

  test('every @deprecated listed, every GraphQL entry @deprecated, every REST entry in openapi.json: no mismatch', () => {
    const registry = createDeprecationRegistry([entry('Post.likesCount'), entry('Query.posts(page:)'), entry('GET /v1/posts')]);
    expect(registryMismatches(registry, schema, { paths: { '/v1/posts': { get: {} } } })).toEqual([]);
  });

  test('a @deprecated field missing from the registry, and an entry the schema does not mark, are reported', () => {
    const registry = createDeprecationRegistry([entry('Query.posts(page:)'), entry('Post.title'), entry('Post.gone')]);
    expect(registryMismatches(registry, schema, null)).toEqual([
      "Post.title is in the deprecation registry but not @deprecated: pass deprecationReason('Post.title') where it is defined",
      'Post.gone is in the deprecation registry but not in schema.graphql: delete its entry once it is gone',
      'Post.likesCount is @deprecated but not in src/api/deprecations.ts: add its entry, with its sunset',
    ]);
  });

  test('a REST entry that names no operation of openapi.json is reported', () => {
    const registry = createDeprecationRegistry([entry('Post.likesCount'), entry('Query.posts(page:)'), entry('DELETE /v1/posts')]);
    expect(registryMismatches(registry, schema, { paths: { '/v1/posts': { get: {} } } })).toEqual([
      'DELETE /v1/posts is in the deprecation registry but not in openapi.json: delete its entry once it is gone',
    ]);
  });
});
