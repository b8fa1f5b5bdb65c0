// A REST request's query parameters and path ids, checked before anything runs and turned into
// the operation's variables. Every problem is reported at once, each naming the parameter as the
// client wrote it (`limit`, `cursor`, `sort`, `fields`, `id`): one 400 BAD_USER_INPUT.
import type { InputProblem } from '../errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination/bounds.js';
import { decodeCursor } from '../pagination/cursor.js';
import { decodeGlobalId, malformedIdProblem } from '../schema/global-id.js';
import { truncate } from '../bounded-errors.js';
import { RESOURCE_FIELDS } from './document.js';
import type { Route } from './routes.js';

/** `?sort=` values and the PostOrder each picks; the first is the default. */
export const SORTS = { '-created_at': 'NEWEST_FIRST', created_at: 'OLDEST_FIRST' } as const;

export type ParsedQuery = {
  variables: Record<string, unknown>;
  /** The answered resource's fields to return (`?fields=`), or null for all. */
  fields: Set<string> | null;
  /** The route's variant applies (its query parameter was given). */
  useVariant: boolean;
  problems: InputProblem[];
  /** A path id that is well formed but names another type: 404 without running anything. */
  wrongType: string | null;
  /** The page size asked for, for `pagination.limit` and the next link. */
  limit: number;
};

export function parseRequest(route: Route, pathParams: Record<string, string>, search: URLSearchParams): ParsedQuery {
  const parsed: ParsedQuery = { variables: {}, fields: null, useVariant: false, problems: [], wrongType: null, limit: DEFAULT_PAGE_SIZE };
  for (const [name, typename] of Object.entries(route.pathIds ?? {})) {
    const value = pathParams[name]!;
    const id = decodeGlobalId(value);
    // The contract names a malformed path id `id`, whichever segment it is.
    if (!id) parsed.problems.push(malformedIdProblem('id'));
    else if (id.typename !== typename) parsed.wrongType ??= value;
    parsed.variables[name] = value;
  }
  if (route.answer.kind === 'list') readPage(search, parsed);
  if (route.sortable) readSort(search, parsed);
  if (route.method === 'GET' && (route.answer.kind === 'one' || route.answer.kind === 'list'))
    readFields(search, route.answer.resource, parsed);
  for (const [name, param] of Object.entries(route.query ?? {})) {
    const value = search.get(name);
    if (value === null || value === '') continue;
    if (param.kind === 'id') {
      const id = decodeGlobalId(value);
      if (!id) parsed.problems.push(malformedIdProblem(name));
      else if (id.typename !== param.idType) parsed.problems.push({ field: name, message: `${name} must be a ${param.idType} id.` });
    } else if (param.maxLength !== undefined && value.length > param.maxLength) {
      parsed.problems.push({ field: name, message: `${name} must be at most ${param.maxLength} characters.` });
    }
    parsed.variables[name] = value;
    if (route.variant?.when === name) parsed.useVariant = true;
  }
  return parsed;
}

function readPage(search: URLSearchParams, parsed: ParsedQuery): void {
  const limit = search.get('limit');
  if (limit !== null) {
    const value = /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
    if (!(value >= 1 && value <= MAX_PAGE_SIZE)) {
      parsed.problems.push({
        field: 'limit',
        message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE} (got "${truncate(limit)}").`,
      });
    } else parsed.limit = value;
  }
  parsed.variables.limit = parsed.limit;
  const cursor = search.get('cursor');
  if (cursor !== null && cursor !== '') {
    if (decodeCursor(cursor) === undefined) {
      parsed.problems.push({
        field: 'cursor',
        message: 'cursor is not one this API gave out: pass a previous pagination.next_cursor as it is.',
      });
    }
    parsed.variables.cursor = cursor;
  }
}

function readSort(search: URLSearchParams, parsed: ParsedQuery): void {
  const sort = search.get('sort');
  if (sort === null) return;
  if (!Object.hasOwn(SORTS, sort)) {
    parsed.problems.push({ field: 'sort', message: `sort must be ${Object.keys(SORTS).join(' or ')} (got "${truncate(sort)}").` });
    return;
  }
  parsed.variables.order = SORTS[sort as keyof typeof SORTS];
}

function readFields(search: URLSearchParams, resource: keyof typeof RESOURCE_FIELDS, parsed: ParsedQuery): void {
  const fields = search.get('fields');
  if (fields === null) return;
  const known = RESOURCE_FIELDS[resource];
  const names = fields.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 5).map((name) => `"${truncate(name, 40)}"`);
    parsed.problems.push({
      field: 'fields',
      message: `fields must name fields of a ${resource}: ${known.join(', ')}; unknown: ${shown.join(', ')}.`,
    });
    return;
  }
  parsed.fields = new Set(names);
}
