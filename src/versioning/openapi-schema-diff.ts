// Compares two JSON Schemas of one place in an OpenAPI document, knowing which way data flows: a
// request schema may accept more but not less (old clients still send what they sent), a
// response schema may promise more but not less (old clients still read what they read).
import type { ChangeLevel } from './api-change.js';
import { arrayAt, deref, objectAt, type Json } from './openapi-json.js';

export type Direction = 'request' | 'response';

export type SchemaDiff = {
  released: Json;
  current: Json;
  direction: Direction;
  report(level: ChangeLevel, where: string, message: string): void;
  /** $ref pairs already compared: recursive schemas end there. */
  seen: Set<string>;
};

type Shape = {
  /** null: any type. */
  types: Set<string> | null;
  isNullable: boolean;
  values: unknown[] | null;
  properties: Json;
  required: Set<string>;
  items: unknown;
  variants: number;
  schema: Json;
};

export function compareSchemas(diff: SchemaDiff, where: string, releasedSchema: unknown, currentSchema: unknown): void {
  const released = deref(diff.released, releasedSchema);
  const current = deref(diff.current, currentSchema);
  if (released.ref !== null || current.ref !== null) {
    const pair = `${released.ref ?? ''} ${current.ref ?? ''}`;
    if (diff.seen.has(pair)) return;
    diff.seen.add(pair);
  }
  const before = shapeOf(diff.released, released.value);
  const after = shapeOf(diff.current, current.value);
  if (!before.schema.deprecated && after.schema.deprecated) diff.report('deprecation', where, 'deprecated');
  compareTypes(diff, where, before, after);
  compareValues(diff, where, before, after);
  if (diff.direction === 'request') compareBounds(diff, where, before.schema, after.schema);
  compareProperties(diff, where, before, after);
  if (before.items !== undefined && after.items !== undefined) compareSchemas(diff, `${where}[]`, before.items, after.items);
}

/** The parts compared, with allOf merged, null branches of anyOf/oneOf read as nullability. */
function shapeOf(document: Json, schema: Json): Shape {
  const branches = [...arrayAt(schema, 'anyOf'), ...arrayAt(schema, 'oneOf')].map((branch) => deref(document, branch).value);
  const nonNull = branches.filter((branch) => branch.type !== 'null');
  const hasNullBranch = nonNull.length < branches.length;
  // `{ anyOf: [X, { type: 'null' }] }` is X, nullable: the usual way to write a nullable $ref.
  const base = nonNull.length === 1 ? { ...schema, ...nonNull[0] } : schema;
  const parts = [base, ...arrayAt(base, 'allOf').map((part) => deref(document, part).value)];
  const types = typesOf(parts);
  const isNullable = hasNullBranch || parts.some((part) => part.nullable === true) || (types?.has('null') ?? false);
  types?.delete('null');
  return {
    types,
    isNullable,
    values: 'const' in base ? [base.const] : Array.isArray(base.enum) ? (base.enum as unknown[]) : null,
    properties: Object.assign({}, ...parts.map((part) => objectAt(part, 'properties'))) as Json,
    required: new Set(parts.flatMap((part) => arrayAt(part, 'required').map(String))),
    items: base.items,
    variants: nonNull.length > 1 ? nonNull.length : 0,
    schema: base,
  };
}

function typesOf(parts: Json[]): Set<string> | null {
  for (const part of parts) {
    if (typeof part.type === 'string') return new Set([part.type]);
    if (Array.isArray(part.type)) return new Set(part.type.map(String));
  }
  return null;
}

/** Every type of `inner` is one of `outer`'s (an integer is a number). */
function isSubset(inner: Set<string> | null, outer: Set<string> | null): boolean {
  if (outer === null) return true;
  if (inner === null) return false;
  return [...inner].every((type) => outer.has(type) || (type === 'integer' && outer.has('number')));
}

const typeName = (types: Set<string> | null) => (types === null ? 'any' : [...types].join(' | '));

function compareTypes(diff: SchemaDiff, where: string, before: Shape, after: Shape): void {
  const [narrow, wide] = diff.direction === 'request' ? [before, after] : [after, before];
  if (!isSubset(narrow.types, wide.types)) {
    diff.report('breaking', where, `type changed from ${typeName(before.types)} to ${typeName(after.types)}`);
  }
  if (diff.direction === 'response' && after.isNullable && !before.isNullable) diff.report('breaking', where, 'may now be null');
  if (diff.direction === 'request' && before.isNullable && !after.isNullable) diff.report('breaking', where, 'no longer accepts null');
  if (before.variants !== after.variants && (before.variants > 0 || after.variants > 0)) {
    const isNarrower = diff.direction === 'request' ? after.variants < before.variants : after.variants > before.variants;
    diff.report(
      isNarrower ? 'breaking' : 'non-breaking',
      where,
      `anyOf/oneOf went from ${String(before.variants)} to ${String(after.variants)} variants`,
    );
  }
}

/**
 * Enums: a value removed breaks both ways (a request sending it is refused; a client matching on
 * it in a response has dead code it relied on, as graphql-inspector also judges); a value added
 * is harmless in a request and dangerous in a response (a client may not handle it).
 */
function compareValues(diff: SchemaDiff, where: string, before: Shape, after: Shape): void {
  if (after.values === null) {
    if (before.values !== null && diff.direction === 'response') diff.report('dangerous', where, 'no longer limited to a list of values');
    return;
  }
  if (before.values === null) {
    if (diff.direction === 'request') diff.report('breaking', where, `now limited to ${JSON.stringify(after.values)}`);
    return;
  }
  const added = after.values.filter((value) => !before.values!.includes(value));
  const removed = before.values.filter((value) => !after.values!.includes(value));
  if (removed.length > 0) diff.report('breaking', where, `values removed: ${JSON.stringify(removed)}`);
  if (added.length > 0)
    diff.report(diff.direction === 'response' ? 'dangerous' : 'non-breaking', where, `values added: ${JSON.stringify(added)}`);
}

const UPPER_BOUNDS = ['maxLength', 'maxItems', 'maxProperties', 'maximum', 'exclusiveMaximum'];
const LOWER_BOUNDS = ['minLength', 'minItems', 'minProperties', 'minimum', 'exclusiveMinimum'];

/** A request bound that tightens refuses what old clients send. */
function compareBounds(diff: SchemaDiff, where: string, before: Json, after: Json): void {
  for (const [keys, isTighter] of [
    [UPPER_BOUNDS, (was: number, now: number) => now < was],
    [LOWER_BOUNDS, (was: number, now: number) => now > was],
  ] as const) {
    for (const key of keys) {
      const was = typeof before[key] === 'number' ? before[key] : null;
      const now = typeof after[key] === 'number' ? after[key] : null;
      if (now !== null && (was === null || isTighter(was, now))) diff.report('breaking', where, `${key} tightened to ${String(now)}`);
    }
  }
  if (typeof after.pattern === 'string' && after.pattern !== before.pattern) diff.report('breaking', where, `pattern now ${after.pattern}`);
}

function compareProperties(diff: SchemaDiff, where: string, before: Shape, after: Shape): void {
  for (const [name, released] of Object.entries(before.properties)) {
    const at = `${where}.${name}`;
    if (!(name in after.properties)) {
      diff.report('breaking', at, 'removed');
      continue;
    }
    if (diff.direction === 'response' && before.required.has(name) && !after.required.has(name))
      diff.report('breaking', at, 'may now be absent');
    if (diff.direction === 'request' && !before.required.has(name) && after.required.has(name)) diff.report('breaking', at, 'now required');
    compareSchemas(diff, at, released, after.properties[name]);
  }
  for (const name of Object.keys(after.properties)) {
    if (name in before.properties) continue;
    const isRequiredInput = diff.direction === 'request' && after.required.has(name);
    diff.report(isRequiredInput ? 'breaking' : 'non-breaking', `${where}.${name}`, isRequiredInput ? 'added, required' : 'added');
  }
}
