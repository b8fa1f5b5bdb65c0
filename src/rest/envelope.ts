// REST answers in the contract's envelopes (rest.md): `{ success, data, meta }`, lists with
// `pagination`, errors with `{ code, message, details }`, and the HTTP status of each code.
import type { ErrorCode, InputProblem } from '../errors.js';
import { REFERENCE_SUFFIX } from './resources.js';

export const STATUS_OF_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_IN_PROGRESS: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

/** An error answer: its status, code, message and details (always present, possibly empty). */
export type RestError = {
  status: number;
  /** A contract code (ErrorCode), or one GraphQL answered with, passed on as it is. */
  code: string;
  message: string;
  details: InputProblem[];
  headers?: Record<string, string>;
};

export const restError = (
  code: ErrorCode,
  message: string,
  details: InputProblem[] = [],
  status = STATUS_OF_CODE[code] ?? 400,
  headers?: Record<string, string>,
): RestError => ({ status, code, message, details, headers });

// The data arrives serialized: its text is also what the ETag is computed over.
const meta = (requestId: string) => JSON.stringify({ request_id: requestId });

export const successBody = (dataJson: string, requestId: string) => `{"success":true,"data":${dataJson},"meta":${meta(requestId)}}`;

export const listBody = (dataJson: string, paginationJson: string, requestId: string) =>
  `{"success":true,"data":${dataJson},"pagination":${paginationJson},"meta":${meta(requestId)}}`;

export const errorBody = (error: RestError, requestId: string) =>
  JSON.stringify({
    success: false,
    error: { code: error.code, message: error.message, details: error.details },
    meta: { request_id: requestId },
  });

/**
 * A resource as GraphQL answered it (aliases are REST names already), with each reference
 * (`post_id: { id }`) replaced by its id.
 */
export function flattenReferences(resource: Record<string, unknown>): Record<string, unknown> {
  for (const key in resource) {
    if (key.endsWith(REFERENCE_SUFFIX)) {
      const value = resource[key] as { id?: unknown } | null;
      if (value !== null && typeof value === 'object') resource[key] = value.id ?? null;
    }
  }
  return resource;
}

/** A whole error answer, for /v1 paths outside the route table (the OpenAPI document, the docs page). */
export function errorResponse(error: RestError, requestId: string, request: Request): Response {
  const headers = { 'content-type': 'application/json; charset=utf-8', ...error.headers };
  return new Response(request.method === 'HEAD' ? null : errorBody(error, requestId), { status: error.status, headers });
}

/** 405 for a method a path does not take, with Allow. */
export const methodNotAllowed = (method: string, allow: string): RestError =>
  restError('BAD_REQUEST', `${method} is not allowed here: use ${allow}.`, [], 405, { Allow: allow });
