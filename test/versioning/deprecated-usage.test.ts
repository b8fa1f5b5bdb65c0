// What counts as using something deprecated, and the headers that say so: the pure functions,
// on a small schema made here (the real one has nothing deprecated yet).
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, test } from 'vitest';
import { deprecationHeaders } from '../../src/api/deprecation-headers.js';
import { createDeprecationRegistry, type Deprecation } from '../../src/api/deprecation-registry.js';
import { deprecationReason } from '../../src/api/deprecations.js';
import { deprecationsUsedBy } from '../../src/api/deprecations-used.js';
import { fragmentsOf } from '../../src/operation/fragments.js';

const schema = buildSchema(`
  enum Order { NEWEST OLDEST }
  input Filter { title: String, tag: String }
  type Post { id: ID!, likesCount: Int!, title: String! }
  type Query {
    posts(order: Order, filter: Filter, legacyPage: Int): [Post!]!
    post(id: ID!): Post
  }
`);

const deprecated = (target: string, since = '2027-01-15', sunset = '2027-07-15'): Deprecation => ({
  target,
  since,
  sunset,
  reason: 'Use something else.',
});

const registry = createDeprecationRegistry([
  deprecated('Post.likesCount'),
  deprecated('Query.posts(legacyPage:)'),
  deprecated('Order.OLDEST'),
  deprecated('Filter.tag'),
]);

function used(source: string): string[] {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return deprecationsUsedBy(schema, registry, operation, fragmentsOf(document)).map((entry) => entry.target);
}

describe('deprecationsUsedBy', () => {
  test('an operation that selects, gives and writes nothing deprecated uses nothing', () => {
    expect(used('{ posts(order: NEWEST, filter: { title: "a" }) { id title } }')).toEqual([]);
  });

  test('a deprecated field is found in the selection and through nested fragments', () => {
    expect(used('{ post(id: "1") { likesCount } }')).toEqual(['Post.likesCount']);
    expect(used('{ posts { ...A } } fragment A on Post { ...B } fragment B on Post { likesCount }')).toEqual(['Post.likesCount']);
  });

  test('a deprecated argument counts only when given', () => {
    expect(used('{ posts { id } }')).toEqual([]);
    expect(used('query($p: Int) { posts(legacyPage: $p) { id } }')).toEqual(['Query.posts(legacyPage:)']);
  });

  test('enum values and input fields written as literals count', () => {
    expect(used('{ posts(order: OLDEST) { id } }')).toEqual(['Order.OLDEST']);
    expect(used('{ posts(filter: { tag: "x" }) { id } }')).toEqual(['Filter.tag']);
  });

  test('each deprecated thing is reported once, and fragments not spread are not walked', () => {
    const source = '{ a: post(id: "1") { likesCount } b: post(id: "2") { likesCount } } fragment U on Post { id }';
    expect(used(source)).toEqual(['Post.likesCount']);
  });
});

describe('deprecationHeaders', () => {
  test('nothing used: no headers', () => {
    expect(deprecationHeaders([])).toBeNull();
  });

  test('RFC 9745 date, IMF-fixdate sunset and a Link to the policy', () => {
    expect(deprecationHeaders([deprecated('Post.likesCount', '2027-01-15', '2027-07-15')])).toEqual({
      Deprecation: '@1799971200',
      Sunset: 'Thu, 15 Jul 2027 00:00:00 GMT',
      Link: '</v1/docs#section/Deprecations>; rel="deprecation"; type="text/html"',
    });
  });

  test('with several, the earliest deprecation and the earliest sunset win', () => {
    const headers = deprecationHeaders([deprecated('A.a', '2027-01-15', '2028-01-01'), deprecated('B.b', '2027-03-01', '2027-10-01')]);
    expect(headers?.Deprecation).toBe('@1799971200');
    expect(headers?.Sunset).toBe('Fri, 01 Oct 2027 00:00:00 GMT');
  });
});

describe('deprecationReason', () => {
  test("a coordinate's reason names its sunset; one the registry does not list is refused", () => {
    expect(deprecationReason('Post.likesCount', registry)).toBe('Use something else. Removed on or after 2027-07-15.');
    expect(() => deprecationReason('Post.title', registry)).toThrow(/Post.title is marked deprecated in the schema but has no entry/);
  });
});

describe('createDeprecationRegistry', () => {
  test('a sunset less than six months after the deprecation is refused', () => {
    expect(() => createDeprecationRegistry([deprecated('Post.title', '2027-01-15', '2027-07-14')])).toThrow(
      /sunset 2027-07-14 is less than 6 months after 2027-01-15/,
    );
  });

  test('a day that is not a real YYYY-MM-DD day is refused', () => {
    expect(() => createDeprecationRegistry([deprecated('Post.title', '2027-02-30', '2027-12-01')])).toThrow(/not a YYYY-MM-DD day/);
  });
});
