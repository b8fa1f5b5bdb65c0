// A field is priced by what it declares (the complexity plugin's `complexity`, kept in the field's
// extensions), never by the names of its arguments; a field that declares nothing costs 1 plus its
// selection. Measured directly: the real schema has no field that shows the difference.
import { buildSchema, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, test } from 'vitest';
import { measureOperation } from '../../src/limits/cost.js';

const schema = buildSchema(`
  type Query { items(limit: Int): [Item!]! first(first: Int): [Item!]! item: Item }
  type Item { name: String }
`);
const fields = schema.getQueryType()!.getFields();
fields.items!.extensions = { complexity: (args: { limit?: number }) => ({ field: 2, multiplier: args.limit ?? 5 }) };

function measure(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return measureOperation(schema, new Map<string, FragmentDefinitionNode>(), operation, variables);
}

describe('declared costs', () => {
  test('a list field multiplies by its own declaration, whatever its argument is named', () => {
    expect(measure(`{ items(limit: 7) { name } }`).cost).toBe(2 + 7 * 1);
    expect(measure(`query($n: Int) { items(limit: $n) { name } }`, { n: 3 }).cost).toBe(2 + 3 * 1);
    expect(measure(`{ items { name } }`).cost).toBe(2 + 5 * 1);
  });

  test('a field that declares nothing costs 1 plus its selection, even a list with a `first` argument', () => {
    expect(measure(`{ first(first: 50) { name } item { name } }`).cost).toBe(1 + 1 + (1 + 1));
  });

  test('depth comes from the same walk, the root field being level 1', () => {
    expect(measure(`{ item { name } }`).depth).toBe(2);
  });
});
