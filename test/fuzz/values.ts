// Values for the fuzz test: ids (real ones of the fuzzed server, malformed ones, other types'),
// hostile strings, and raw JSON for `variables` (deep, wide, wrong types, huge strings, NUL
// bytes, lone surrogates). Raw JSON text, not objects, so 10,000 levels cost nothing to build.
import fc from 'fast-check';

const base64 = (text: string) => Buffer.from(text).toString('base64');

export type IdPool = { arbitrary: fc.Arbitrary<string> };

/** Real ids of the server's rows, well-formed ids of nothing, and ids that are not ids at all. */
export function idPool(real: string[]): IdPool {
  const wellFormed = [
    'User:999999',
    'Post:999999',
    'Comment:999999',
    'User:0',
    'Nope:1',
    'User:abc',
    'User:-1',
    'User:1.5',
    'User:99999999999999999999',
    'Post:',
    ':1',
    'User:1:2',
  ].map(base64);
  const garbage = ['', ' ', '=', '!!!', 'VXNlcjox', 'null', '%', '\0', '\uD800', 'a'.repeat(300), base64('x'.repeat(2000))];
  return {
    arbitrary: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...real) },
      { weight: 2, arbitrary: fc.constantFrom(...wellFormed) },
      { weight: 2, arbitrary: fc.constantFrom(...garbage) },
      { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
    ),
  };
}

/** The contract's hostile strings: NUL bytes, LIKE wildcards, backslashes, 10,000 characters, lone surrogates. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\0',
    'a\0b',
    '%',
    '_',
    '%_%',
    '\\',
    '\\%',
    "'",
    "' or '1'='1",
    '"',
    '\uD800',
    '\uDFFF',
    'a\uD800b',
    '\u202Eevil',
    '\uFEFF',
    '   ',
    '\t\n',
    '😀'.repeat(50),
    'x'.repeat(10_000),
  ),
  fc.string({ maxLength: 12, unit: 'binary' }),
  fc.array(fc.constantFrom('\0', '\uD800', '\uDC00', '%', '\\', 'a', '\n'), { maxLength: 8 }).map((units) => units.join('')),
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 10 }),
  hostileString,
  fc.constantFrom(2 ** 53, -(2 ** 63), 1e308, 'VXNlcjox', '2026-01-01T00:00:00.000Z'),
);

/** A JSON value of any shape, the leaves hostile. */
export const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Raw JSON text that is expensive to take apart: very deep, very wide, or a very long string (`size` bounds each). */
export function heavyJson(size = { levels: 20_000, keys: 90_000, length: 120_000 }): fc.Arbitrary<string> {
  return fc.oneof(
    fc
      .record({ open: fc.constantFrom('[', '{"a":'), levels: fc.integer({ min: 10, max: size.levels }) })
      .map(({ open, levels }) => `${open.repeat(levels)}1${(open === '[' ? ']' : '}').repeat(levels)}`),
    fc.integer({ min: 100, max: size.keys }).map((keys) => `{${Array.from({ length: keys }, (_, i) => `"k${i}":${i}`).join(',')}}`),
    fc.integer({ min: 100, max: size.keys }).map((items) => `[${Array.from({ length: items }, () => '"VXNlcjox"').join(',')}]`),
    fc
      .record({ unit: fc.constantFrom('x', '\0', '\uD800', '\\', '😀'), length: fc.integer({ min: 201, max: size.length }) })
      .map(({ unit, length }) => JSON.stringify(unit.repeat(length))),
  );
}

/** Variables for a document that declares `names`: right keys with wrong values, extra keys, or no object at all. */
export function variablesFor(names: string[]): fc.Arbitrary<string> {
  const keys = names.length ? fc.constantFrom(...names) : fc.constant('v0');
  return fc.oneof(
    fc.dictionary(fc.oneof(keys, fc.string({ maxLength: 4 })), anyValue, { maxKeys: 5 }).map((value) => JSON.stringify(value)),
    fc.record({ key: keys, heavy: heavyJson() }).map(({ key, heavy }) => `{${JSON.stringify(key)}:${heavy}}`),
    heavyJson(),
    anyValue.map((value) => JSON.stringify(value)),
  );
}
