// A GET route's GraphQL result handed to the route as the object execution made, not as JSON
// text: yoga serialized every result only for ./plugin.ts to parse it again, a round trip of
// ~50 µs of CPU for a 20-post page, ~7 µs for one post (bench/RESULTS.md, "REST v1"). Only queries (GET
// routes: no idempotency record reads their body) and only successes: a result with errors, or
// with HTTP extensions to turn into status and headers, takes yoga's regular processor, and the
// route reads its JSON as before.
import type { ExecutionResult } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';

/** The media type innerRequest (./plugin.ts) asks for. */
const ACCEPTED = 'application/json';

const capturing = new WeakSet<Request>();
const paramsOf = new WeakMap<Request, GraphQLParams>();

/**
 * An in-process query request carries its params as the object they are, not as a JSON body
 * yoga would read and parse again (useParamsGiven). Mutations keep a body: the idempotency
 * record fingerprints the body of the request.
 */
export function withParams(request: Request, params: GraphQLParams): Request {
  paramsOf.set(request, params);
  return request;
}

/** The hook that hands yoga the params withParams gave the request. */
export const useParamsGiven: NonNullable<Plugin['onRequestParse']> = ({ request, setRequestParser }) => {
  const params = paramsOf.get(request);
  if (params) setRequestParser(() => params);
};
const captured = new WeakMap<Request, ExecutionResult>();

/** Marks an in-process request whose successful result is to be kept for takeResult. */
export function captureResultOf(request: Request): Request {
  capturing.add(request);
  return request;
}

/** The result kept for this request (once), or undefined: read the response's JSON instead. */
export function takeResult(request: Request): ExecutionResult | undefined {
  const result = captured.get(request);
  captured.delete(request);
  return result;
}

/** The hook that keeps a marked request's successful result and answers yoga with an empty 200. */
export const keepInnerResults: NonNullable<Plugin['onResultProcess']> = (payload) => {
  const { request, result, resultProcessor: regular } = payload;
  if (!capturing.has(request) || !regular || Array.isArray(result)) return;
  payload.setResultProcessor((final, fetchAPI, mediaType) => {
    if (!isPlainSuccess(final)) return regular(final, fetchAPI, mediaType);
    captured.set(request, final);
    return new fetchAPI.Response(null, { status: 200 });
  }, ACCEPTED);
};

function isPlainSuccess(result: unknown): result is ExecutionResult {
  if (result === null || typeof result !== 'object' || Array.isArray(result) || Symbol.asyncIterator in result) return false;
  const { errors, extensions } = result as ExecutionResult;
  return !errors?.length && !extensions?.http;
}
