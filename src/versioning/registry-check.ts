// The deprecation registry (src/api/deprecations.ts) and the published API must agree: each
// GraphQL entry names something schema.graphql marks @deprecated, each @deprecated is listed, and
// each REST entry names an operation of openapi.json. Otherwise a client is told one thing by the
// schema and another by the headers.
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  resolveSchemaCoordinate,
  type GraphQLArgument,
  type GraphQLSchema,
} from 'graphql';
import type { DeprecationRegistry } from '../api/deprecation-registry.js';
import { isObject, objectAt, type Json } from './openapi-json.js';

const REST_TARGET = /^([A-Z]+) (\/\S*)$/;

/** What disagrees, one sentence each; [] when all agree. `openapi` null: not generated yet. */
export function registryMismatches(registry: DeprecationRegistry, schema: GraphQLSchema, openapi: Json | null): string[] {
  const problems: string[] = [];
  for (const target of registry.keys()) {
    const rest = REST_TARGET.exec(target);
    if (rest) {
      const [, method, path] = rest;
      if (openapi && !isObject(objectAt(objectAt(openapi, 'paths'), path!)[method!.toLowerCase()])) {
        problems.push(`${target} is in the deprecation registry but not in openapi.json: delete its entry once it is gone`);
      }
      continue;
    }
    const reason = deprecationReasonOf(schema, target);
    if (reason === undefined)
      problems.push(`${target} is in the deprecation registry but not in schema.graphql: delete its entry once it is gone`);
    else if (reason === null)
      problems.push(
        `${target} is in the deprecation registry but not @deprecated: pass deprecationReason('${target}') where it is defined`,
      );
  }
  for (const coordinate of deprecatedCoordinates(schema)) {
    if (!registry.has(coordinate))
      problems.push(`${coordinate} is @deprecated but not in src/api/deprecations.ts: add its entry, with its sunset`);
  }
  return problems;
}

/** undefined: no such element; null: there, not deprecated. */
function deprecationReasonOf(schema: GraphQLSchema, coordinate: string): string | null | undefined {
  let resolved;
  try {
    resolved = resolveSchemaCoordinate(schema, coordinate);
  } catch {
    return undefined; // not a schema coordinate at all
  }
  switch (resolved?.kind) {
    case 'Field':
      return resolved.field.deprecationReason ?? null;
    case 'FieldArgument':
      return resolved.fieldArgument.deprecationReason ?? null;
    case 'InputField':
      return resolved.inputField.deprecationReason ?? null;
    case 'EnumValue':
      return resolved.enumValue.deprecationReason ?? null;
    default:
      return undefined;
  }
}

function deprecatedCoordinates(schema: GraphQLSchema): string[] {
  const found: string[] = [];
  const noteArguments = (field: string, args: readonly GraphQLArgument[]) => {
    for (const arg of args) if (arg.deprecationReason) found.push(`${field}(${arg.name}:)`);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (field.deprecationReason) found.push(`${type.name}.${field.name}`);
        noteArguments(`${type.name}.${field.name}`, field.args);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (field.deprecationReason) found.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (value.deprecationReason) found.push(`${type.name}.${value.name}`);
    }
  }
  return found;
}
