// The OpenAPI 3.1 document of REST v1, generated from the route table (./routes.ts), the resource
// fragments (./resources.ts) and the GraphQL schema: parameters from each route's variables,
// response schemas from the fragments' selections and their nullability, request bodies from
// the GraphQL input types, descriptions and deprecations from the schema. Never written by hand:
// `npm run openapi` prints it to openapi.json, which CI checks is current.
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  OperationTypeNode,
  parse,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination/bounds.js';
import { RESOURCE_FIELDS } from './document.js';
import { SORTS } from './query.js';
import { REFERENCE_SUFFIX, RESOURCE_FRAGMENTS, type ResourceName } from './resources.js';
import { routeKey } from './deprecation.js';
import { ROUTES, type Route } from './routes.js';
import type { DeprecationRegistry } from '../api/deprecation-registry.js';
import { deprecations } from '../api/deprecations.js';

/** The API's version: the major is the path's (/v1); minor and patch follow CHANGELOG.md. */
export const API_VERSION = '1.0.0';

type Schema = Record<string, unknown>;

const ERROR_STATUSES: Record<number, { name: string; description: string }> = {
  400: { name: 'BadRequest', description: 'BAD_USER_INPUT (with details), BAD_REQUEST, or IDEMPOTENCY_KEY_REQUIRED.' },
  401: { name: 'Unauthenticated', description: 'UNAUTHENTICATED: no token where one is needed, or an invalid, expired or revoked one.' },
  403: { name: 'Forbidden', description: 'FORBIDDEN: only the owner may do this.' },
  404: { name: 'NotFound', description: 'NOT_FOUND: no such resource (a well-formed id naming nothing, or an object of another type).' },
  405: { name: 'MethodNotAllowed', description: 'BAD_REQUEST: the path does not take this method (see Allow).' },
  406: { name: 'NotAcceptable', description: 'BAD_REQUEST: the Accept header does not allow application/json.' },
  409: { name: 'Conflict', description: 'CONFLICT (an email already registered), or IDEMPOTENCY_KEY_IN_PROGRESS.' },
  413: { name: 'PayloadTooLarge', description: 'PAYLOAD_TOO_LARGE: the body is over the limit.' },
  415: { name: 'UnsupportedMediaType', description: 'BAD_REQUEST: the body is not application/json.' },
  422: { name: 'IdempotencyKeyReused', description: 'IDEMPOTENCY_KEY_REUSED: this Idempotency-Key was used with another request.' },
  429: { name: 'RateLimited', description: 'RATE_LIMITED: the budget is spent; retry after Retry-After seconds.' },
  500: { name: 'InternalServerError', description: 'INTERNAL_SERVER_ERROR: masked; the X-Request-ID finds it in the logs.' },
  503: { name: 'ServiceUnavailable', description: 'SERVICE_UNAVAILABLE: the database is unreachable; retry.' },
};

/** This document and the page that renders it: served beside the routes, outside the route table. */
const DOCUMENT_PATHS: Record<string, Record<string, Schema>> = {
  '/v1/openapi.json': {
    get: {
      operationId: 'getOpenApiDocument',
      summary: 'This document: the OpenAPI 3.1 description of every route.',
      tags: ['Documentation'],
      responses: {
        '200': {
          description: 'The document.',
          headers: { ETag: ref('header', 'ETag') },
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        '304': { description: 'Not modified: If-None-Match named the current ETag.', headers: { ETag: ref('header', 'ETag') } },
        '405': ref('response', 'MethodNotAllowed'),
      },
    },
  },
  '/v1/docs': {
    get: {
      operationId: 'getDocsPage',
      summary: 'A page that renders this document; every asset it loads is served by this server.',
      tags: ['Documentation'],
      responses: {
        '200': { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
        '304': { description: 'Not modified: If-None-Match named the current ETag.' },
        '405': ref('response', 'MethodNotAllowed'),
      },
    },
  },
};

const OWNER_ONLY = new Set(['updateUser', 'deleteUser', 'updatePost', 'deletePost', 'deleteComment']);

/** The document as served and committed (openapi.json). */
export const openApiJson = (schema: GraphQLSchema, registry: DeprecationRegistry = deprecations): string =>
  `${JSON.stringify(openApiDocument(schema, registry), null, 2)}\n`;

export function openApiDocument(schema: GraphQLSchema, registry: DeprecationRegistry = deprecations): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of ROUTES) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, schema, registry);
  Object.assign(paths, DOCUMENT_PATHS);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Social API',
      version: API_VERSION,
      description:
        'Users, posts, comments, follows and likes, as resources under /v1: the same data, accounts, tokens, ids, limits, rate-limit budget and error codes as POST /graphql. Every route runs a GraphQL operation, shown in its description.\n\n' +
        '# Deprecations\n\nThe version is the path. Within /v1 changes are additive only. A route or field that is going away keeps working for at least 6 months, is marked deprecated here, and its answers carry `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and `Link: <…>; rel="deprecation"` headers; CHANGELOG.md lists every change.',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'Session', description: 'Sign up, log in, log out.' },
      { name: 'Me', description: 'The signed-in viewer: profile, feed, follows, likes.' },
      { name: 'Users' },
      { name: 'Posts' },
      { name: 'Comments' },
      { name: 'Documentation' },
    ],
    paths,
    components: components(schema),
  };
}

function operation(route: Route, schema: GraphQLSchema, registry: DeprecationRegistry): Schema {
  const isRead = route.method === 'GET';
  const deprecation = registry.get(routeKey(route));
  return {
    operationId: route.operationId,
    summary: route.summary,
    description:
      (deprecation
        ? `**Deprecated** since ${deprecation.since}, removed on or after ${deprecation.sunset}: ${deprecation.reason}\n\n`
        : '') + `Runs this GraphQL operation:\n\n\`\`\`graphql\n${route.document}\n\`\`\``,
    tags: [tagOf(route)],
    // A token is optional on reads (it makes viewer fields right) and needed where signedIn.
    security: route.signedIn ? [{ bearerAuth: [] }] : [{}, { bearerAuth: [] }],
    parameters: parameters(route),
    ...(route.body ? { requestBody: requestBody(route, schema) } : {}),
    responses: { ...successResponse(route, isRead), ...errorResponses(route) },
    ...(deprecation || deprecatedFieldsOf(route, schema) ? { deprecated: true } : {}),
  };
}

function tagOf(route: Route): string {
  if (route.path.startsWith('/v1/me')) return 'Me';
  if (route.path === '/v1/sessions' || route.operationId === 'signUp') return 'Session';
  if (route.path.startsWith('/v1/users')) return 'Users';
  return route.path.startsWith('/v1/comments') ||
    (route.answer.kind === 'list' && route.answer.resource === 'Comment') ||
    route.operationId === 'createComment'
    ? 'Comments'
    : 'Posts';
}

function parameters(route: Route): Schema[] {
  const list: Schema[] = [];
  for (const [name, typename] of Object.entries(route.pathIds ?? {})) {
    list.push({ name, in: 'path', required: true, description: `A ${typename} id, as this API returned it.`, schema: { type: 'string' } });
  }
  if (route.answer.kind === 'list') list.push({ $ref: '#/components/parameters/limit' }, { $ref: '#/components/parameters/cursor' });
  if (route.sortable) list.push({ $ref: '#/components/parameters/sort' });
  if (route.method === 'GET' && (route.answer.kind === 'one' || route.answer.kind === 'list')) {
    list.push({ $ref: `#/components/parameters/fields${route.answer.resource}` }, { $ref: '#/components/parameters/IfNoneMatch' });
  }
  for (const [name, param] of Object.entries(route.query ?? {})) {
    list.push({
      name,
      in: 'query',
      required: false,
      description: param.description,
      schema: { type: 'string', ...(param.maxLength ? { maxLength: param.maxLength } : {}) },
    });
  }
  if (route.method !== 'GET' && !route.ignoresIdempotencyKey) list.push({ $ref: '#/components/parameters/IdempotencyKey' });
  return list;
}

function requestBody(route: Route, schema: GraphQLSchema): Schema {
  const input = schema.getType(route.body!.type) as GraphQLInputObjectType;
  const fromPath = new Set(Object.keys(route.body!.fromPath ?? {}));
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(input.getFields())) {
    if (fromPath.has(name)) continue;
    properties[name] = { ...inputSchema(field.type), ...(field.description ? { description: field.description } : {}) };
    if (isNonNullType(field.type)) required.push(name);
  }
  return {
    required: true,
    description: input.description ?? undefined,
    content: { 'application/json': { schema: { type: 'object', properties, required, additionalProperties: false } } },
  };
}

function successResponse(route: Route, isRead: boolean): Record<string, Schema> {
  const common = {
    'X-Request-ID': ref('header', 'XRequestId'),
    ...rateLimitHeaders(),
    'Idempotency-Replay': ref('header', 'IdempotencyReplay'),
  };
  if (route.answer.kind === 'none') return { '204': { description: 'Done.', headers: common } };
  const data = route.answer.kind === 'session' ? ref('schema', 'Session') : ref('schema', route.answer.resource);
  const envelope = route.answer.kind === 'list' ? envelopeSchema({ type: 'array', items: data }, true) : envelopeSchema(data, false);
  const headers: Record<string, Schema> = { ...common };
  if (isRead)
    Object.assign(headers, {
      ETag: ref('header', 'ETag'),
      'Cache-Control': ref('header', 'CacheControl'),
      'X-Cache': ref('header', 'XCache'),
    });
  if (route.answer.kind === 'list') headers.Link = ref('header', 'Link');
  if (route.status === 201 && route.location) headers.Location = ref('header', 'Location');
  const responses: Record<string, Schema> = {
    [String(route.status)]: {
      description: route.status === 201 ? 'Created.' : 'OK.',
      headers,
      content: { 'application/json': { schema: envelope } },
    },
  };
  if (isRead)
    responses['304'] = {
      description: 'Not modified: If-None-Match named the current ETag.',
      headers: { ETag: ref('header', 'ETag'), ...rateLimitHeaders() },
    };
  return responses;
}

function errorResponses(route: Route): Record<string, Schema> {
  const statuses = [400, 401, 406, 429, 500, 503];
  if (route.pathIds || route.answer.kind === 'one' || route.answer.kind === 'list') statuses.push(404);
  if (OWNER_ONLY.has(route.operationId)) statuses.push(403);
  if (route.body) statuses.push(413, 415);
  if (route.method !== 'GET' && !route.ignoresIdempotencyKey) statuses.push(409, 422);
  if (route.operationId === 'signUp' || route.operationId === 'updateUser') statuses.push(409);
  const responses: Record<string, Schema> = {};
  for (const status of [...new Set(statuses)].sort()) responses[String(status)] = ref('response', ERROR_STATUSES[status]!.name);
  return responses;
}

function components(schema: GraphQLSchema): Schema {
  const schemas: Record<string, Schema> = {};
  for (const name of Object.keys(RESOURCE_FRAGMENTS) as ResourceName[]) schemas[name] = resourceSchema(name, schema);
  schemas.Session = {
    type: 'object',
    description: 'A signed-in session: a token, and the user it signs in.',
    properties: { token: { type: 'string', description: 'Send it as Authorization: Bearer <token>.' }, user: ref('schema', 'User') },
    required: ['token', 'user'],
  };
  schemas.Meta = {
    type: 'object',
    properties: { request_id: { type: 'string', description: 'The X-Request-ID of this response.' } },
    required: ['request_id'],
  };
  schemas.Pagination = {
    type: 'object',
    properties: {
      limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
      has_more: { type: 'boolean', description: 'More items follow: ask again with cursor = next_cursor.' },
      next_cursor: { type: ['string', 'null'], description: 'The cursor of the next page; null on the last.' },
    },
    required: ['limit', 'has_more', 'next_cursor'],
  };
  schemas.Error = {
    type: 'object',
    properties: {
      success: { const: false },
      error: {
        type: 'object',
        properties: {
          code: { type: 'string', description: 'A contract error code (BAD_USER_INPUT, NOT_FOUND, …).' },
          message: { type: 'string' },
          details: {
            type: 'array',
            items: {
              type: 'object',
              properties: { field: { type: 'string' }, message: { type: 'string' } },
              required: ['field', 'message'],
            },
          },
        },
        required: ['code', 'message', 'details'],
      },
      meta: ref('schema', 'Meta'),
    },
    required: ['success', 'error', 'meta'],
  };
  const responses: Record<string, Schema> = {};
  for (const [status, { name, description }] of Object.entries(ERROR_STATUSES)) {
    const headers: Record<string, Schema> = { 'X-Request-ID': ref('header', 'XRequestId'), ...rateLimitHeaders() };
    if (status === '401') headers['WWW-Authenticate'] = ref('header', 'WWWAuthenticate');
    if (status === '405') headers.Allow = ref('header', 'Allow');
    if (status === '429') headers['Retry-After'] = ref('header', 'RetryAfter');
    responses[name] = { description, headers, content: { 'application/json': { schema: ref('schema', 'Error') } } };
  }
  return {
    schemas,
    responses,
    parameters: {
      limit: {
        name: 'limit',
        in: 'query',
        required: false,
        description: `How many items, 1–${MAX_PAGE_SIZE}.`,
        schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
      },
      cursor: {
        name: 'cursor',
        in: 'query',
        required: false,
        description: 'Start after this position: a previous pagination.next_cursor.',
        schema: { type: 'string' },
      },
      sort: {
        name: 'sort',
        in: 'query',
        required: false,
        description: 'Newest first (-created_at, the default) or oldest first (created_at).',
        schema: { type: 'string', enum: Object.keys(SORTS), default: '-created_at' },
      },
      ...Object.fromEntries(
        (Object.keys(RESOURCE_FIELDS) as ResourceName[]).map((name) => [
          `fields${name}`,
          {
            name: 'fields',
            in: 'query',
            required: false,
            description: 'Only these top-level fields (id is always returned); the others are not fetched.',
            style: 'form',
            explode: false,
            schema: { type: 'array', items: { type: 'string', enum: RESOURCE_FIELDS[name] } },
          },
        ]),
      ),
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'Makes a retry safe: the same key and body replay the first answer (1–255 printable characters).',
        schema: { type: 'string', minLength: 1, maxLength: 255 },
      },
      IfNoneMatch: {
        name: 'If-None-Match',
        in: 'header',
        required: false,
        description: 'An ETag of an earlier answer: 304 when it is still current.',
        schema: { type: 'string' },
      },
    },
    headers: {
      XRequestId: { description: 'This request’s id, as the logs know it.', schema: { type: 'string' } },
      RateLimitLimit: { description: 'Cost points per window.', schema: { type: 'integer' } },
      RateLimitRemaining: { description: 'Points left in this window.', schema: { type: 'integer' } },
      RateLimitReset: { description: 'When the window ends (Unix seconds).', schema: { type: 'integer' } },
      RetryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
      ETag: { description: 'A strong validator of this answer’s data.', schema: { type: 'string' } },
      CacheControl: {
        description:
          'private, no-cache when the request carries a token; else no-cache, or public, max-age=N when the server sets CACHE_PUBLIC_MAX_AGE_SECONDS.',
        schema: { type: 'string' },
      },
      XCache: {
        description: 'HIT when the answer came from the response cache, MISS when it was read from the database and cached.',
        schema: { type: 'string', enum: ['HIT', 'MISS'] },
      },
      Link: { description: 'The next page: <…?cursor=…&limit=…>; rel="next", when has_more.', schema: { type: 'string' } },
      Location: { description: 'The URL of what was created.', schema: { type: 'string' } },
      Allow: { description: 'The methods this path takes.', schema: { type: 'string' } },
      WWWAuthenticate: { description: 'Bearer.', schema: { type: 'string' } },
      IdempotencyReplay: {
        description: 'true when this answer is a replay of an earlier request with the same Idempotency-Key.',
        schema: { type: 'string' },
      },
    },
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A token from POST /v1/users or POST /v1/sessions.' },
    },
  };
}

function rateLimitHeaders(): Record<string, Schema> {
  return {
    'X-RateLimit-Limit': ref('header', 'RateLimitLimit'),
    'X-RateLimit-Remaining': ref('header', 'RateLimitRemaining'),
    'X-RateLimit-Reset': ref('header', 'RateLimitReset'),
  };
}

/** A resource's schema, read from its fragment: every field may be left out by ?fields= but id. */
function resourceSchema(name: ResourceName, schema: GraphQLSchema): Schema {
  const fragment = parse(RESOURCE_FRAGMENTS[name], { noLocation: true }).definitions[0] as FragmentDefinitionNode;
  const type = schema.getType(name) as GraphQLObjectType;
  return { ...selectionSchema(fragment.selectionSet, type), required: ['id'], description: type.description ?? undefined };
}

function selectionSchema(selectionSet: SelectionSetNode, type: GraphQLObjectType): Schema {
  const properties: Record<string, Schema> = {};
  const fields = type.getFields();
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const field = fields[selection.name.value]!;
    const key = selection.alias?.value ?? selection.name.value;
    const described = {
      ...(field.description ? { description: field.description } : {}),
      ...(field.deprecationReason ? { deprecated: true } : {}),
    };
    properties[key] = { ...fieldSchema(selection, field.type, key), ...described };
  }
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

function fieldSchema(selection: FieldNode, type: GraphQLOutputType, key: string): Schema {
  const nullable = !isNonNullType(type);
  const inner = getNullableType(type);
  let schema: Schema;
  if (isListType(inner)) schema = { type: 'array', items: fieldSchema(selection, inner.ofType, key) };
  else if (isObjectType(inner) && selection.selectionSet) {
    // A reference (`post_id: post { id }`) is answered as the id itself.
    schema = key.endsWith(REFERENCE_SUFFIX) ? { type: 'string' } : selectionSchema(selection.selectionSet, inner);
  } else schema = leafSchema(getNamedType(inner));
  return nullable ? orNull(schema) : schema;
}

function inputSchema(type: GraphQLInputType): Schema {
  const inner = getNullableType(type);
  let schema: Schema;
  if (isListType(inner)) schema = { type: 'array', items: inputSchema(inner.ofType) };
  else if (isInputObjectType(inner)) schema = { type: 'object' };
  else schema = leafSchema(inner);
  return isNonNullType(type) ? schema : orNull(schema);
}

function leafSchema(type: ReturnType<typeof getNamedType>): Schema {
  if (isEnumType(type)) return { type: 'string', enum: type.getValues().map((value) => value.name) };
  if (!isScalarType(type)) return {};
  switch (type.name) {
    case 'Int':
      return { type: 'integer' };
    case 'Float':
      return { type: 'number' };
    case 'Boolean':
      return { type: 'boolean' };
    case 'DateTime':
      return { type: 'string', format: 'date-time' };
    default:
      return { type: 'string' };
  }
}

/** The schema, or null: a nullable GraphQL type. */
function orNull(schema: Schema): Schema {
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

function envelopeSchema(data: Schema, isList: boolean): Schema {
  return {
    type: 'object',
    properties: {
      success: { const: true },
      data,
      ...(isList ? { pagination: ref('schema', 'Pagination') } : {}),
      meta: ref('schema', 'Meta'),
    },
    required: ['success', 'data', ...(isList ? ['pagination'] : []), 'meta'],
  };
}

/** Whether the route's operation reads a deprecated root field (its answer is then deprecated too). */
function deprecatedFieldsOf(route: Route, schema: GraphQLSchema): boolean {
  const document = parse(route.document, { noLocation: true });
  const definition = document.definitions[0];
  if (definition?.kind !== Kind.OPERATION_DEFINITION) return false;
  const root = definition.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : schema.getQueryType();
  return definition.selectionSet.selections.some(
    (selection) => selection.kind === Kind.FIELD && Boolean(root?.getFields()[selection.name.value]?.deprecationReason),
  );
}

function ref(kind: 'schema' | 'response' | 'header' | 'parameter', name: string): Schema {
  return {
    $ref: `#/components/${kind === 'schema' ? 'schemas' : kind === 'response' ? 'responses' : kind === 'header' ? 'headers' : 'parameters'}/${name}`,
  };
}
