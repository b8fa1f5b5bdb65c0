// Which deprecated things an operation uses: the fields it selects, the arguments it gives, the
// enum values and input fields it writes as literals, in its own selection and in every fragment
// it spreads. Values passed as variables are not seen: the document alone decides, so the answer
// is computed once per document (src/http/deprecation.ts) and serves every request that sends it.
import {
  TypeInfo,
  isWrappingType,
  isEnumType,
  isInputObjectType,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLNamedInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Deprecation, DeprecationRegistry } from './deprecation-registry.js';

/** The registry's entries this operation uses, each once, in the order the walk meets them. */
export function deprecationsUsedBy(
  schema: GraphQLSchema,
  registry: DeprecationRegistry,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): Deprecation[] {
  const used = new Set<Deprecation>();
  const note = (coordinate: string | null) => {
    const entry = coordinate === null ? undefined : registry.get(coordinate);
    if (entry) used.add(entry);
  };
  const walked = new Set<string>();
  const pending: ASTNode[] = [operation];
  for (let node = pending.pop(); node; node = pending.pop()) {
    const typeInfo = new TypeInfo(schema);
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Field: () => note(fieldCoordinate(typeInfo)),
        Argument: () => note(argumentCoordinate(typeInfo)),
        EnumValue: () => note(enumValueCoordinate(typeInfo)),
        ObjectField: ({ name }) => note(inputFieldCoordinate(typeInfo, name.value)),
        FragmentSpread: ({ name }) => {
          const fragment = fragments.get(name.value);
          if (fragment && !walked.has(name.value)) pending.push(fragment);
          walked.add(name.value);
        },
      }),
    );
  }
  return [...used];
}

function fieldCoordinate(typeInfo: TypeInfo): string | null {
  const parent = typeInfo.getParentType();
  const field = typeInfo.getFieldDef();
  return parent && field ? `${parent.name}.${field.name}` : null;
}

/** `Type.field(arg:)`, or `@directive(arg:)` for a directive's argument. */
function argumentCoordinate(typeInfo: TypeInfo): string | null {
  const argument = typeInfo.getArgument();
  if (!argument) return null;
  const directive = typeInfo.getDirective();
  if (directive) return `@${directive.name}(${argument.name}:)`;
  const field = fieldCoordinate(typeInfo);
  return field && `${field}(${argument.name}:)`;
}

function enumValueCoordinate(typeInfo: TypeInfo): string | null {
  const type = namedInputType(typeInfo.getInputType());
  const value = typeInfo.getEnumValue();
  return isEnumType(type) && value ? `${type.name}.${value.name}` : null;
}

/** Entered on an input object's field, TypeInfo's parent input type is that input object. */
function inputFieldCoordinate(typeInfo: TypeInfo, name: string): string | null {
  const parent = namedInputType(typeInfo.getParentInputType());
  return isInputObjectType(parent) ? `${parent.name}.${name}` : null;
}

/** getNamedType, which typescript-eslint's no-unsafe-class-instance-assignment cannot check (it recurses without end). */
function namedInputType(type: GraphQLInputType | null | undefined): GraphQLNamedInputType | undefined {
  let named = type ?? undefined;
  while (isWrappingType(named)) named = named.ofType;
  return named;
}
