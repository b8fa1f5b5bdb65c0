// Documents for the fuzz test: valid operations built by walking schema.graphql (root fields
// with arguments of the right type, inline or as variables, nested selections), and the same
// documents mutated token by token. Generated as a small tree first and printed afterwards, so
// fast-check shrinks the tree (fewer fields, simpler values) rather than the text.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  buildSchema,
  GraphQLNonNull,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { hostileString, type IdPool } from './values.js';

export const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

type Arg = { name: string; type: GraphQLInputType; value: unknown; asVariable: boolean };
type Selection = { alias: string | null; name: string; args: Arg[]; on: string | null; children: Selection[] };
export type Operation = { kind: 'query' | 'mutation' | 'subscription'; name: string | null; fields: Selection[] };
export type Document = { query: string; variables: Record<string, unknown>; operationName?: string };

/** Fields that end the signed-in session for every later run (logOut revokes, deleteUser deletes). */
const SESSION_ENDING = new Set(['logOut', 'deleteUser']);

/** Nesting below a root field, in object levels: deep enough to reach connections of connections. */
const MAX_LEVELS = 5;

/** Levels to the nearest leaf below a type (0 for a leaf), so a selection always ends in time. */
const leafDistance = new Map<string, number>();
function distanceToLeaf(type: GraphQLNamedType, seen = new Set<string>()): number {
  if (isLeafType(type)) return 0;
  const known = leafDistance.get(type.name);
  if (known !== undefined) return known;
  if (seen.has(type.name) || (!isObjectType(type) && !isInterfaceType(type))) return Infinity;
  seen.add(type.name);
  const distance = 1 + Math.min(...Object.values(type.getFields()).map((field) => distanceToLeaf(getNamedType(field.type), seen)));
  seen.delete(type.name);
  if (Number.isFinite(distance)) leafDistance.set(type.name, distance);
  return distance;
}

export function inputValue(type: GraphQLInputType, ids: IdPool, depth = 0): fc.Arbitrary<unknown> {
  if (!isNonNullType(type))
    return fc.oneof(
      { weight: 8, arbitrary: inputValue(new GraphQLNonNull(type), ids, depth) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  const inner = type.ofType;
  if (isListType(inner)) return fc.array(inputValue(inner.ofType, ids, depth + 1), { maxLength: depth > 2 ? 1 : 4 });
  if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields());
    const required = fields.filter((field) => isNonNullType(field.type)).map((field) => field.name);
    return fc.record(Object.fromEntries(fields.map((field) => [field.name, inputValue(field.type, ids, depth + 1)])), {
      requiredKeys: required,
    });
  }
  if (isEnumType(inner)) return fc.constantFrom(...inner.getValues().map((value) => value.name));
  switch (inner.name) {
    case 'Int':
      // Mostly small pages (the cost limit would refuse most large ones), sometimes out of range.
      return fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }) },
        { weight: 1, arbitrary: fc.constantFrom(0, -1, 100, 101, 2 ** 31 - 1) },
        { weight: 1, arbitrary: fc.integer() },
      );
    case 'Boolean':
      return fc.boolean();
    case 'ID':
      return ids.arbitrary;
    case 'DateTime':
      return fc.oneof(
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
        fc.string({ maxLength: 30 }),
      );
    default:
      // String and any other scalar: short text, a hostile string, or a cursor/id-looking one.
      return fc.oneof(
        { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
        { weight: 2, arbitrary: hostileString },
        { weight: 1, arbitrary: ids.arbitrary },
      );
  }
}

function argsOf(field: GraphQLField<unknown, unknown>, ids: IdPool): fc.Arbitrary<Arg[]> {
  return fc
    .tuple(
      ...field.args.map((arg) => {
        const value = fc
          .record({ value: inputValue(arg.type, ids), asVariable: fc.boolean() })
          .map(({ value, asVariable }) => ({ name: arg.name, type: arg.type, value, asVariable }));
        // Required arguments are always given (a missing one is the mutator's job); optional ones often left out.
        return isNonNullType(arg.type) ? value : fc.option(value, { nil: undefined, freq: 2 });
      }),
    )
    .map((args) => args.filter((arg): arg is Arg => arg !== undefined));
}

const alias = fc.option(fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,6}$/), { freq: 5, nil: null });

function selectionsOf(type: GraphQLNamedType, levels: number, ids: IdPool, skip: Set<string>): fc.Arbitrary<Selection[]> {
  if (!isObjectType(type) && !isInterfaceType(type)) return fc.constant([]);
  const fields = Object.values(type.getFields()).filter(
    (field) => !skip.has(field.name) && distanceToLeaf(getNamedType(field.type)) <= levels - 1,
  );
  const fieldArbs = fields.map((field) => fieldOf(field, levels, ids, skip));
  const picked = fc.array(fc.oneof(...fieldArbs), { minLength: 1, maxLength: 3 });
  if (!isInterfaceType(type) && !isUnionType(type)) return picked;
  // An abstract type: its own fields and inline fragments on the types that implement it.
  const implementations = schema.getPossibleTypes(type);
  const fragments = implementations.map((object) =>
    selectionsOf(object, levels, ids, skip).map((children): Selection => ({ alias: null, name: '', args: [], on: object.name, children })),
  );
  return fc
    .tuple(picked, fc.subarray(implementations.map((_, i) => i)))
    .chain(([own, chosen]) =>
      chosen.length === 0 ? fc.constant(own) : fc.tuple(...chosen.map((i) => fragments[i]!)).map((more) => [...own, ...more]),
    );
}

function fieldOf(field: GraphQLField<unknown, unknown>, levels: number, ids: IdPool, skip: Set<string>): fc.Arbitrary<Selection> {
  const named = getNamedType(field.type);
  const children: fc.Arbitrary<Selection[]> = isLeafType(named)
    ? fc.constant([])
    : fc.constant(null).chain(() => selectionsOf(named, levels - 1, ids, skip));
  return fc
    .record({ alias, args: argsOf(field, ids), children })
    .map(({ alias, args, children }) => ({ alias, name: field.name, args, on: null, children }));
}

/** A valid operation (its values may still break the server's own rules: that is the point). */
export function operation(ids: IdPool, options: { signedIn: boolean }): fc.Arbitrary<Operation> {
  const skip = options.signedIn ? SESSION_ENDING : new Set<string>();
  const roots: [Operation['kind'], GraphQLObjectType, number][] = [
    ['query', schema.getQueryType()!, 6],
    ['mutation', schema.getMutationType()!, 3],
    ['subscription', schema.getSubscriptionType()!, 1],
  ];
  return fc.oneof(
    ...roots.map(([kind, root, weight]) => ({
      weight,
      arbitrary: fc.record({
        kind: fc.constant(kind),
        name: fc.option(fc.stringMatching(/^[A-Z][A-Za-z]{0,8}$/), { nil: null }),
        // A subscription has exactly one root field.
        fields:
          kind === 'subscription'
            ? selectionsOf(root, MAX_LEVELS, ids, skip).map((fields) => fields.slice(0, 1))
            : selectionsOf(root, MAX_LEVELS, ids, skip),
      }),
    })),
  );
}

/** GraphQL literal syntax; strings as JSON strings (a lone surrogate becomes a \u escape graphql-js refuses). */
function literal(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}: ${literal(item)}`)
      .join(', ')}}`;
  return JSON.stringify(value);
}

export function print(op: Operation): Document {
  const definitions: string[] = [];
  const variables: Record<string, unknown> = {};
  const printArgs = (args: Arg[]) => {
    if (args.length === 0) return '';
    const printed = args.map((arg) => {
      if (!arg.asVariable) return `${arg.name}: ${literal(arg.value)}`;
      const name = `v${definitions.length}`;
      definitions.push(`$${name}: ${String(arg.type)}`);
      variables[name] = arg.value;
      return `${arg.name}: $${name}`;
    });
    return `(${printed.join(', ')})`;
  };
  const printSelections = (selections: Selection[]): string =>
    selections
      .map((s) => {
        const body = s.children.length ? ` { ${printSelections(s.children)} }` : '';
        return s.on ? `... on ${s.on}${body}` : `${s.alias ? `${s.alias}: ` : ''}${s.name}${printArgs(s.args)}${body}`;
      })
      .join(' ');
  const selections = printSelections(op.fields);
  const head = `${op.kind}${op.name ? ` ${op.name}` : ''}${definitions.length ? `(${definitions.join(', ')})` : ''}`;
  return { query: `${head} { ${selections} }`, variables, ...(op.name ? { operationName: op.name } : {}) };
}

export const document = (ids: IdPool, options: { signedIn: boolean }) => operation(ids, options).map(print);
