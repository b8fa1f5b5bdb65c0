// REST v1 (../shared/api/rest.md): each route runs its GraphQL operation (./routes.ts) through
// this same yoga, as a POST /graphql of its own made in process. So a REST request meets every
// plugin a GraphQL request meets: the rate limit (one budget, charged what the operation costs),
// the guards, the token check, idempotency keys, the loaders and the error codes. This plugin
// only translates: the request into the operation's variables, the result into the envelope.
import type { CacheControl } from '../http/cache-control.js';
import type { GraphQLSchema } from 'graphql';
import type { FetchAPI, Plugin } from 'graphql-yoga';
import type { DeprecationRegistry } from '../api/deprecation-registry.js';
import type { RequestCredentials } from '../auth/credentials.js';
import type { InputProblem } from '../errors.js';
import { mergeVary } from '../http/vary.js';
import { requestIdOf } from '../request/request-id.js';
import { bodyProblems, readJsonBody } from './body.js';
import { documentFor } from './document.js';
import { captureResultOf, keepInnerResults, takeResult, useParamsGiven, withParams } from './inner-result.js';
import {
  errorBody,
  flattenReferences,
  methodNotAllowed,
  listBody,
  restError,
  STATUS_OF_CODE,
  successBody,
  type RestError,
} from './envelope.js';
import { addRouteDeprecation } from './deprecation.js';
import { isCurrent, strongEtag } from '../http/etag.js';
import { matchRoute } from './match.js';
import { isRestPath } from './prefix.js';
import { parseRequest, type ParsedQuery } from './query.js';
import type { Route } from './routes.js';
import { markRestOperation } from './trusted.js';
import { recordOf } from '../telemetry/request-record.js';

/** Runs a request through yoga (its handleRequest), with the outer request's server context. */
export type ExecuteGraphQL = (request: Request, serverContext: object) => Promise<Response>;

export type RestOptions = {
  schema: GraphQLSchema;
  graphqlPath: string;
  maxBodyBytes: number;
  execute: ExecuteGraphQL;
  /** What is deprecated (src/api/deprecations.ts): a deprecated route's answers say so. */
  deprecations: DeprecationRegistry;
  /** The request's credentials, read once per request (src/auth/credentials.ts). */
  requestCredentials: RequestCredentials;
  /** The Cache-Control of a 200 GET answer (src/http/cache-control.ts). */
  cacheControl: CacheControl;
  /** Other /v1 resources (the OpenAPI document, the docs page): a response, or null to go on. */
  extras?: RestExtra[];
};

/** Answers a /v1 request outside the route table (the OpenAPI document, the docs page), or null to go on. */
export type RestExtra = (request: {
  request: Request;
  url: URL;
  requestId: string;
  fetchAPI: FetchAPI;
}) => Response | Promise<Response> | null;

/** Response headers of the GraphQL answer a REST answer keeps. */
const PASSED_ON = [
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'retry-after',
  'idempotency-replay',
  'x-cache',
  'deprecation',
  'sunset',
  'link',
];

type GraphQLAnswer = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; details?: InputProblem[] } }[];
};

export function useRest(options: RestOptions): Plugin {
  // The Vary of each answer, put back in onResponse beside the Vary: Origin of yoga's CORS, which replaces it.
  const varyOf = new WeakMap<Request, string>();
  return {
    onRequest(payload) {
      const { request, url, serverContext, fetchAPI } = payload;
      const endResponse = (response: Response) => {
        const vary = response.headers.get('vary');
        if (vary !== null) varyOf.set(request, vary);
        payload.endResponse(response);
      };
      if (!isRestPath(url.pathname)) return;
      const requestId = requestIdOf(serverContext, request);
      for (const extra of options.extras ?? []) {
        const response = extra({ request, url, requestId, fetchAPI });
        if (response) return Promise.resolve(response).then(endResponse);
      }
      return handle(options, request, url, serverContext, fetchAPI, requestId).then(endResponse);
    },
    onResponse({ request, response }) {
      const vary = varyOf.get(request);
      if (vary !== undefined) response.headers.set('vary', mergeVary(response.headers.get('vary'), vary));
    },
    onRequestParse: useParamsGiven,
    onResultProcess: keepInnerResults,
  };
}

async function handle(options: RestOptions, request: Request, url: URL, serverContext: object, fetchAPI: FetchAPI, requestId: string) {
  const reply = new Reply(fetchAPI, requestId, request.method === 'HEAD', options.cacheControl);
  if (!acceptsJson(request.headers.get('accept'))) {
    return reply.error(restError('BAD_REQUEST', 'This API answers with application/json: accept it (or */*).', [], 406));
  }
  const match = matchRoute(request.method, url.pathname);
  if (match.kind === 'none')
    return reply.error(
      restError('NOT_FOUND', `Nothing here: ${truncatePath(url.pathname)} is not a route of this API (see /v1/openapi.json).`),
    );
  if (match.kind === 'method-not-allowed') return reply.error(methodNotAllowed(request.method, match.allow.join(', ')));
  const { route, params } = match;
  // The metrics, the trace and the log line name the request by its route, not by its ids.
  const record = recordOf(serverContext);
  if (record) record.route = `${route.method} ${route.path}`;
  // A token that is present but not valid is 401 on any route, before anything else is looked at.
  const credentials = await options.requestCredentials(request);
  if (credentials.kind === 'invalid') return reply.error(restError('UNAUTHENTICATED', credentials.reason));
  if (route.signedIn && credentials.kind === 'anonymous') {
    return reply.error(
      restError('UNAUTHENTICATED', 'Sign in first: send Authorization: Bearer <token> from POST /v1/users or POST /v1/sessions.'),
    );
  }
  const parsed = parseRequest(route, params, url.searchParams);
  let input: Record<string, unknown> | undefined;
  if (route.body) {
    const read = await readJsonBody(request, options.maxBodyBytes);
    if (!read.ok) return reply.error(read.error);
    parsed.problems.push(...bodyProblems(read.body, route.body, options.schema));
    input = { ...read.body };
    for (const [field, param] of Object.entries(route.body.fromPath ?? {})) input[field] = params[param];
  }
  if (parsed.problems.length > 0) return reply.error(restError('BAD_USER_INPUT', problemsMessage(parsed.problems), parsed.problems));
  if (parsed.wrongType !== null) return reply.error(notFoundAt(url.pathname));

  const variables = input ? { ...parsed.variables, input } : parsed.variables;
  const document = documentFor(route, parsed.useVariant, parsed.fields);
  const inner = innerRequest(fetchAPI, request, route, options.graphqlPath, document, variables);
  // A query's result comes back as the object execution made (./inner-result.ts).
  const graphql = await options.execute(route.method === 'GET' ? captureResultOf(inner) : inner, serverContext);
  for (const name of PASSED_ON) {
    const value = graphql.headers.get(name);
    if (value !== null) reply.headers.set(name, value);
  }
  addRouteDeprecation(reply.headers, route, options.deprecations);
  const result = (takeResult(inner) as GraphQLAnswer | undefined) ?? ((await graphql.json()) as GraphQLAnswer);
  return answer(reply, route, parsed, url, request, result);
}

function answer(reply: Reply, route: Route, parsed: ParsedQuery, url: URL, request: Request, result: GraphQLAnswer): Response {
  const first = result.errors?.[0];
  if (first) return reply.error(fromGraphQLError(first, route));
  const selected = select(result.data, parsed.useVariant && route.variant ? route.variant.select : route.select);
  if (route.answer.kind === 'none') return reply.empty(204);
  if (selected === null || selected === undefined) {
    if (route.signedIn) return reply.error(restError('UNAUTHENTICATED', 'Sign in first: the token names no user.'));
    // An author filter naming no one matches no posts: an empty list, not a missing resource.
    if (route.answer.kind === 'list' && parsed.useVariant)
      return reply.list(request, url, route, parsed, { edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    return reply.error(notFoundAt(url.pathname));
  }
  if (route.answer.kind === 'list') return reply.list(request, url, route, parsed, selected as Connection);
  if (route.answer.kind === 'session') {
    const session = selected as { token: string; user: Record<string, unknown> };
    return reply.data(request, route, { token: session.token, user: flattenReferences(session.user) }, session.user.id as string);
  }
  const resource = flattenReferences(selected as Record<string, unknown>);
  return reply.data(request, route, resource, resource.id as string);
}

type Connection = { edges: { node: Record<string, unknown> }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** One REST answer being built: its headers, then its status and envelope. */
class Reply {
  readonly headers: Headers;
  constructor(
    private readonly fetchAPI: FetchAPI,
    private readonly requestId: string,
    private readonly isHead: boolean,
    private readonly cacheControl: CacheControl,
  ) {
    this.headers = new fetchAPI.Headers({ 'content-type': 'application/json; charset=utf-8' });
  }

  error(error: RestError): Response {
    for (const [name, value] of Object.entries(error.headers ?? {})) this.headers.set(name, value);
    if (error.status === 401) this.headers.set('WWW-Authenticate', 'Bearer');
    return this.send(error.status, errorBody(error, this.requestId));
  }

  empty(status: number): Response {
    this.headers.delete('content-type');
    return new this.fetchAPI.Response(null, { status, headers: this.headers });
  }

  data(request: Request, route: Route, data: Record<string, unknown>, id: string): Response {
    if (route.status === 201 && route.location) this.headers.set('Location', route.location(id));
    const json = JSON.stringify(data);
    if (request.method === 'GET' || request.method === 'HEAD') return this.cached(request, json, () => successBody(json, this.requestId));
    return this.send(route.status, successBody(json, this.requestId));
  }

  list(request: Request, url: URL, route: Route, parsed: ParsedQuery, connection: Connection): Response {
    const { hasNextPage, endCursor } = connection.pageInfo;
    const pagination = { limit: parsed.limit, has_more: hasNextPage, next_cursor: hasNextPage ? endCursor : null };
    if (hasNextPage && endCursor !== null) this.headers.append('Link', `<${nextUrl(url, endCursor, parsed.limit)}>; rel="next"`);
    const json = JSON.stringify(connection.edges.map((edge) => flattenReferences(edge.node)));
    const paginationJson = JSON.stringify(pagination);
    return this.cached(request, json + paginationJson, () => listBody(json, paginationJson, this.requestId));
  }

  /**
   * A 200 GET with its strong ETag (of the data, not of the request id that differs every time),
   * or 304 when the client has that version already. Anything that depends on the viewer is
   * private to them.
   */
  private cached(request: Request, content: string, body: () => string): Response {
    const etag = strongEtag(content);
    this.headers.set('ETag', etag);
    this.headers.set('Cache-Control', this.cacheControl(request));
    this.headers.set('Vary', 'Authorization');
    if (isCurrent(request.headers.get('if-none-match'), etag)) {
      this.headers.delete('content-type');
      return new this.fetchAPI.Response(null, { status: 304, headers: this.headers });
    }
    return this.send(200, body());
  }

  private send(status: number, body: string): Response {
    return new this.fetchAPI.Response(this.isHead ? null : body, { status, headers: this.headers });
  }
}

/** The POST /graphql that runs a route: its document and variables, and the caller's credentials and key. */
function innerRequest(
  fetchAPI: FetchAPI,
  request: Request,
  route: Route,
  graphqlPath: string,
  query: string,
  variables: Record<string, unknown>,
): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  const authorization = request.headers.get('authorization');
  if (authorization !== null) headers.authorization = authorization;
  const key = request.headers.get('idempotency-key');
  if (key !== null && !route.ignoresIdempotencyKey) headers['idempotency-key'] = key;
  const url = new URL(graphqlPath, request.url);
  if (route.method === 'GET')
    return markRestOperation(withParams(new fetchAPI.Request(url, { method: 'POST', headers }), { query, variables }));
  return markRestOperation(new fetchAPI.Request(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) }));
}

/** The REST form of a GraphQL error: its code's status, and details named as the REST request names them. */
function fromGraphQLError(error: NonNullable<GraphQLAnswer['errors']>[number], route: Route): RestError {
  const code = error.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
  const details = (error.extensions?.details ?? []).map((problem) => ({ ...problem, field: restFieldName(problem.field, route) }));
  return restError(code as never, error.message, details, STATUS_OF_CODE[code] ?? 400);
}

/** `input.title` → `title`; a variable (`$limit`, `user_id`) keeps its name, which is the parameter's. */
function restFieldName(field: string, route: Route): string {
  const name = field.replace(/^\$/, '').replace(/^input\./, '');
  const fromPath = route.body?.fromPath?.[name];
  return fromPath ?? name;
}

function select(data: GraphQLAnswer['data'], path: string): unknown {
  let value: unknown = data;
  for (const key of path.split('.')) {
    if (value === null || value === undefined) return value;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function nextUrl(url: URL, cursor: string, limit: number): string {
  const params = new URLSearchParams(url.searchParams);
  params.set('cursor', cursor);
  params.set('limit', String(limit));
  return `${url.pathname}?${params.toString()}`;
}

function acceptsJson(accept: string | null): boolean {
  if (accept === null || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [type, ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    if (parameters.some((parameter) => /^q=0(\.0*)?$/.test(parameter))) return false;
    return type === '*/*' || type === 'application/*' || type === 'application/json';
  });
}

const notFoundAt = (pathname: string) =>
  restError('NOT_FOUND', `Nothing at ${truncatePath(pathname)}: no such resource (or it was deleted).`);
const truncatePath = (pathname: string) => (pathname.length > 200 ? `${pathname.slice(0, 200)}…` : pathname);
const problemsMessage = (problems: InputProblem[]) =>
  problems.length === 1 ? problems[0]!.message : `${problems.length} problems with the request: see details.`;
