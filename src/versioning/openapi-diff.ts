// The REST half of api:diff: a structural comparison of two OpenAPI 3.x documents, operation by
// operation (paths match whatever their template variables are named), then their schemas
// (./openapi-schema-diff.ts). Additions are non-breaking; what an old client relies on going
// away or tightening is breaking.
import type { ApiChange, ChangeLevel } from './api-change.js';
import { arrayAt, deref, isObject, objectAt, type Json } from './openapi-json.js';
import { compareSchemas, type Direction } from './openapi-schema-diff.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type Operation = { target: string; path: string; item: Json; operation: Json };

export function openapiChanges(released: Json, current: Json): ApiChange[] {
  const changes: ApiChange[] = [];
  const before = operationsOf(released);
  const after = operationsOf(current);
  for (const [key, old] of before) {
    const now = after.get(key);
    if (!now) changes.push({ level: 'breaking', target: old.target, message: 'operation removed', isRemoval: true });
    else compareOperation({ released, current, changes, target: now.target }, old, now);
  }
  for (const [key, now] of after) {
    if (before.has(key)) continue;
    changes.push({ level: 'non-breaking', target: now.target, message: 'operation added' });
    if (now.operation.deprecated === true) changes.push({ level: 'deprecation', target: now.target, message: 'deprecated' });
  }
  compareSecuritySchemes(released, current, changes);
  return changes;
}

/** Operations by method and path template with its variables unnamed: `/posts/{id}` is `/posts/{postId}`. */
function operationsOf(document: Json): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const [path, rawItem] of Object.entries(objectAt(document, 'paths'))) {
    const item = deref(document, rawItem).value;
    for (const method of METHODS) {
      if (!isObject(item[method])) continue;
      const target = `${method.toUpperCase()} ${path}`;
      operations.set(`${method} ${path.replace(/\{[^}]*\}/g, '{}')}`, { target, path, item, operation: item[method] });
    }
  }
  return operations;
}

type Comparison = { released: Json; current: Json; changes: ApiChange[]; target: string };

function compareOperation(comparison: Comparison, old: Operation, now: Operation): void {
  const report = (level: ChangeLevel, message: string) => comparison.changes.push({ level, target: comparison.target, message });
  if (old.operation.deprecated !== true && now.operation.deprecated === true) report('deprecation', 'deprecated');
  compareParameters(comparison, report, old, now);
  compareRequestBody(comparison, report, old.operation, now.operation);
  compareResponses(comparison, report, old.operation, now.operation);
}

type Report = (level: ChangeLevel, message: string) => void;

/**
 * An operation's parameters by `in name`, the path item's overridden by the operation's own. A
 * path variable is keyed by its place in the template: renaming it changes no URL a client sends.
 */
function parametersOf(document: Json, { path, item, operation }: Operation): Map<string, Parameter> {
  const variables = [...path.matchAll(/\{([^}]*)\}/g)].map((match) => match[1]);
  const parameters = new Map<string, Parameter>();
  for (const raw of [...arrayAt(item, 'parameters'), ...arrayAt(operation, 'parameters')]) {
    const parameter = deref(document, raw).value;
    const label = `${String(parameter.in)} ${String(parameter.name)}`;
    const place = parameter.in === 'path' ? variables.indexOf(String(parameter.name)) : -1;
    parameters.set(place >= 0 ? `path #${String(place)}` : label, { label, parameter });
  }
  return parameters;
}

type Parameter = { label: string; parameter: Json };

function compareParameters(comparison: Comparison, report: Report, old: Operation, now: Operation): void {
  const before = parametersOf(comparison.released, old);
  const after = parametersOf(comparison.current, now);
  for (const [key, { label, parameter }] of before) {
    const current = after.get(key)?.parameter;
    if (!current) {
      report('breaking', `parameter ${label} removed or renamed`);
      continue;
    }
    if (parameter.required !== true && current.required === true) report('breaking', `parameter ${label} now required`);
    if (parameter.deprecated !== true && current.deprecated === true) report('deprecation', `parameter ${label} deprecated`);
    compareSchemasAt(comparison, 'request', `parameter ${label}`, parameter.schema, current.schema);
  }
  for (const [key, { label, parameter }] of after) {
    if (before.has(key)) continue;
    if (parameter.required === true) report('breaking', `parameter ${label} added, required`);
    else report('non-breaking', `parameter ${label} added`);
  }
}

function compareRequestBody(comparison: Comparison, report: Report, old: Json, now: Json): void {
  const before = old.requestBody === undefined ? null : deref(comparison.released, old.requestBody).value;
  const after = now.requestBody === undefined ? null : deref(comparison.current, now.requestBody).value;
  if (after?.required === true && before?.required !== true) report('breaking', 'request body now required');
  if (!before) {
    if (after) report('non-breaking', 'request body added');
    return;
  }
  if (!after) {
    report('breaking', 'request body removed');
    return;
  }
  compareContent(comparison, report, 'request', 'request body', before, after);
}

function compareResponses(comparison: Comparison, report: Report, old: Json, now: Json): void {
  const before = objectAt(old, 'responses');
  const after = objectAt(now, 'responses');
  for (const [status, raw] of Object.entries(before)) {
    if (!(status in after)) {
      report('breaking', `response ${status} removed`);
      continue;
    }
    const released = deref(comparison.released, raw).value;
    const current = deref(comparison.current, after[status]).value;
    compareContent(comparison, report, 'response', `response ${status}`, released, current);
  }
  for (const status of Object.keys(after)) if (!(status in before)) report('non-breaking', `response ${status} added`);
}

/** A request must still accept every media type it accepted; a response must still send each. */
function compareContent(comparison: Comparison, report: Report, direction: Direction, where: string, old: Json, now: Json): void {
  const before = objectAt(old, 'content');
  const after = objectAt(now, 'content');
  for (const [type, media] of Object.entries(before)) {
    if (!(type in after)) report('breaking', `${where} ${type} removed`);
    else compareSchemasAt(comparison, direction, `${where} ${type} body`, objectAt(media, 'schema'), objectAt(after[type], 'schema'));
  }
  for (const type of Object.keys(after)) if (!(type in before)) report('non-breaking', `${where} ${type} added`);
}

function compareSchemasAt(comparison: Comparison, direction: Direction, where: string, old: unknown, now: unknown): void {
  const { released, current, changes, target } = comparison;
  const diff = {
    released,
    current,
    direction,
    seen: new Set<string>(),
    report: (level: ChangeLevel, at: string, message: string) => changes.push({ level, target, message: `${at}: ${message}` }),
  };
  compareSchemas(diff, where, old, now);
}

function compareSecuritySchemes(released: Json, current: Json, changes: ApiChange[]): void {
  const before = objectAt(objectAt(released, 'components'), 'securitySchemes');
  const after = objectAt(objectAt(current, 'components'), 'securitySchemes');
  for (const name of Object.keys(before)) {
    const target = `#/components/securitySchemes/${name}`;
    if (!(name in after)) changes.push({ level: 'breaking', target, message: 'security scheme removed', isRemoval: true });
    else if (!isSameScheme(before[name], after[name])) changes.push({ level: 'breaking', target, message: 'security scheme changed' });
  }
  for (const name of Object.keys(after)) {
    if (!(name in before))
      changes.push({ level: 'non-breaking', target: `#/components/securitySchemes/${name}`, message: 'security scheme added' });
  }
}

/** What a client's credentials depend on; a description may change freely. */
function isSameScheme(before: unknown, after: unknown): boolean {
  const [was, now] = [isObject(before) ? before : {}, isObject(after) ? after : {}];
  return ['type', 'scheme', 'in', 'name', 'bearerFormat'].every((key) => was[key] === now[key]);
}
