// Broken documents: a valid one (documents.ts) with tokens deleted, duplicated, swapped, renamed
// to another name of the schema, or random characters inserted. Each edit is data (an index and
// a character), so fast-check shrinks to the fewest, simplest edits that still fail.
import fc from 'fast-check';
import { isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { schema } from './documents.js';

const TOKEN = /\.\.\.|[_A-Za-z][_0-9A-Za-z]*|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:[^"\\]|\\.)*"|\s+|[\s\S]/g;

/** Every type, field and argument name of the schema, plus the keywords: what a renamed token becomes. */
export function schemaNames(exclude: ReadonlySet<string> = new Set()): string[] {
  const names = new Set([
    'query',
    'mutation',
    'subscription',
    'fragment',
    'on',
    'true',
    'false',
    'null',
    '__typename',
    '__schema',
    '__type',
    'include',
    'skip',
    'if',
  ]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    names.add(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        names.add(field.name);
        for (const arg of 'args' in field ? field.args : []) names.add(arg.name);
      }
    }
  }
  return [...names].filter((name) => !exclude.has(name));
}

export type Edit =
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'rename'; at: number; to: string }
  | { kind: 'insert'; at: number; text: string };

export function edit(names: string[]): fc.Arbitrary<Edit> {
  const at = fc.nat({ max: 10_000 });
  return fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at }),
    fc.record({ kind: fc.constant('duplicate' as const), at }),
    fc.record({ kind: fc.constant('swap' as const), at, with: at }),
    fc.record({ kind: fc.constant('rename' as const), at, to: fc.constantFrom(...names) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at,
      text: fc.oneof(
        fc.constantFrom(
          '{',
          '}',
          '(',
          ')',
          '[',
          ']',
          '$',
          '@',
          '!',
          ':',
          '...',
          '"',
          '"""',
          '#',
          '\\',
          '\0',
          '\uD800',
          '$v0',
          '@include(if: $x)',
          'fragment F on Query { a }',
        ),
        fc.string({ minLength: 1, maxLength: 3, unit: 'binary' }),
      ),
    }),
  );
}

/** Applies edits to the non-whitespace tokens; positions wrap around the token count. */
export function applyEdits(query: string, edits: Edit[]): string {
  const tokens = query.match(TOKEN) ?? [];
  for (const change of edits) {
    const solid = tokens.flatMap((token, i) => (/^\s+$/.test(token) ? [] : [i]));
    if (solid.length === 0) break;
    const i = solid[change.at % solid.length]!;
    if (change.kind === 'delete') tokens.splice(i, 1);
    else if (change.kind === 'duplicate') tokens.splice(i, 0, tokens[i]!, ' ');
    else if (change.kind === 'swap') {
      const j = solid[change.with % solid.length]!;
      [tokens[i], tokens[j]] = [tokens[j]!, tokens[i]!];
    } else if (change.kind === 'rename') tokens[i] = change.to;
    else tokens.splice(i, 0, change.text);
  }
  return tokens.join('');
}
