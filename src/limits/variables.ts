// Coerces an operation's variables to their types, with answers bounded by the size of the
// schema rather than of the input. graphql's getVariableValues quotes the whole invalid value in
// every error it raises (one per unknown key), so a 1 MB object of 90,000 keys made 51 errors of
// ~2 MB each and ~100 MB of response. Here: a variable holding more values, or nested deeper,
// than any input of the schema could use is refused before coercion even looks at it, and an
// invalid variable is one short BAD_USER_INPUT naming it ($name), with its first problems.
import { createRequire } from 'node:module';
import { getVariableValues, GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { badUserInput, type InputProblem } from '../errors.js';
import { boundMessage, truncate } from '../bounded-errors.js';
import { withoutSuggestion } from './introspection.js';

/**
 * @default 2000 values (array items and object fields, all levels) per variable: the largest
 * input that can pass the cost limit is a list of ids under 1000 long (`nodes(ids:)`).
 */
const MAX_VALUES_PER_VARIABLE = 2000;
/** @default 8 levels of lists and objects per variable: the schema's inputs nest 2. */
const MAX_VARIABLE_DEPTH = 8;
/** @default 10 problems reported: enough to fix an input, never one per key of a huge one. */
const MAX_PROBLEMS = 10;

// graphql-jit's own coercion, compiled per operation: what its executor runs on every request.
// Its package publishes it as dist/variables; only the CommonJS build of that file loads.
const { compileVariableParsing, failToParseVariables } = createRequire(import.meta.url)(
  'graphql-jit/dist/variables.js',
) as typeof import('graphql-jit/dist/variables.js');

export type CoercedVariables = { ok: true; values: Record<string, unknown> } | { ok: false; errors: GraphQLError[] };

type Coercion = (raw: Record<string, unknown> | null | undefined) => CoercedVariables;

/**
 * The operation's coercion, compiled once (operation-cache.ts keeps it): graphql-jit's compiled
 * code checks well-formed variables for a fraction of what graphql's getVariableValues costs on
 * each request. Variables it refuses go through coerceVariables, whose errors are the ones clients get.
 */
export function compileCoercion(schema: GraphQLSchema, operation: OperationDefinitionNode): Coercion {
  let parse: ReturnType<typeof compileVariableParsing>;
  try {
    parse = compileVariableParsing(schema, operation.variableDefinitions ?? []);
  } catch {
    // Validation refuses what it cannot compile (a variable of no input type); answer as graphql would.
    return (raw) => coerceVariables(schema, operation, raw);
  }
  return (raw) => {
    const inputs = raw ?? {};
    if (hasOversized(operation, inputs)) return coerceVariables(schema, operation, raw);
    const parsed = parse(inputs);
    return failToParseVariables(parsed) ? coerceVariables(schema, operation, raw) : { ok: true, values: parsed.coerced };
  };
}

export function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  raw: Record<string, unknown> | null | undefined,
): CoercedVariables {
  const inputs = raw ?? {};
  const oversized = (operation.variableDefinitions ?? []).flatMap(({ variable }) => {
    const name = variable.name.value;
    return isOversized(inputs[name]) ? [oversizedVariable(name)] : [];
  });
  if (oversized.length > 0) return { ok: false, errors: oversized };

  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs, { maxErrors: MAX_PROBLEMS });
  if (!coerced.errors) return { ok: true, values: coerced.coerced };
  return { ok: false, errors: groupByVariable(coerced.errors) };
}

function hasOversized(operation: OperationDefinitionNode, inputs: Record<string, unknown>): boolean {
  return (operation.variableDefinitions ?? []).some(({ variable }) => isOversized(inputs[variable.name.value]));
}

/** More values or levels than the bounds, found by a walk that stops as soon as it knows. */
function isOversized(value: unknown): boolean {
  let values = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_VARIABLE_DEPTH) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    values += children.length;
    if (values > MAX_VALUES_PER_VARIABLE) return true;
    for (const child of children) stack.push([child, depth + 1]);
  }
  return false;
}

function oversizedVariable(name: string): GraphQLError {
  return asRequestError(
    badUserInput([
      {
        field: `$${name}`,
        message: `Variable "$${name}" is larger than any input of this API: at most ${MAX_VALUES_PER_VARIABLE} values, nested at most ${MAX_VARIABLE_DEPTH} deep.`,
      },
    ]),
  );
}

/** One BAD_USER_INPUT per variable, in the order they were found; problems past the first as details. */
function groupByVariable(errors: readonly GraphQLError[]): GraphQLError[] {
  const problems = new Map<string, InputProblem[]>();
  for (const error of errors) {
    const name = variableNamedBy(error);
    // "Too many errors processing variables": the problems before it already say enough.
    if (!name) continue;
    const list = problems.get(name) ?? [];
    list.push({ field: name, message: shortened(withoutSuggestion(error).message) });
    problems.set(name, list);
  }
  return [...problems.values()].map((list) => {
    const more = list.length - 1;
    const message =
      more === 0 ? list[0]!.message : `${list[0]!.message} (and ${more} more problem${more === 1 ? '' : 's'} with it: see details)`;
    return asRequestError(new GraphQLError(message, { extensions: badUserInput(list).extensions }));
  });
}

/**
 * The variable ($name) a graphql variable error is about: its messages begin `Variable "$name"`
 * and carry no code, so the name is the only way to tell them from other errors. Also used by
 * src/contract-code.ts for the variable errors that reach yoga (graphql-jit's, say).
 */
export function variableNamedBy(error: GraphQLError): string | undefined {
  return /^Variable "(\$[_A-Za-z][_0-9A-Za-z]*)"/.exec(error.message)?.[1];
}

/**
 * graphql's `got invalid value <the whole value>; <reason>` with the value cut to the quoting
 * bound, and so the value the reason repeats (shortenedReason).
 */
function shortened(message: string): string {
  const match = /^(Variable "\$[_A-Za-z][_0-9A-Za-z]*" got invalid value )(.*?)((?: at "[^"]*")?; )(.*)$/s.exec(message);
  if (!match) return boundMessage(message);
  return boundMessage(match[1]! + cutValue(match[2]!) + match[3]! + shortenedReason(match[4]!));
}

// An enum's reason quotes the raw string, quotes and all; the suggestion after it is gone already.
const ENUM_REASON = /^Value "(.*)"( does not exist in "[_A-Za-z][_0-9A-Za-z]*" enum\.)$/s;

/**
 * The reason with the value it repeats cut: a scalar's `ID cannot represent value: <the whole
 * value>`, or an enum's `Value "<the raw string>" does not exist…`, quoted again as JSON so that
 * a quote inside it cannot unpair the quotes of the message (boundMessage cuts quoted stretches).
 */
function shortenedReason(reason: string): string {
  const enumValue = ENUM_REASON.exec(reason);
  if (enumValue) return `Value ${cutValue(JSON.stringify(enumValue[1]))}${enumValue[2]}`;
  return reason.replace(/^(.*? value: )(.*)$/s, (_whole, lead: string, value: string) => lead + cutValue(value));
}

/** A value as graphql shows it, cut to the quoting bound: a cut string keeps its closing quote, so that the quotes after it still pair. */
function cutValue(value: string): string {
  const cut = truncate(value);
  return cut !== value && value.startsWith('"') ? `${cut}"` : cut;
}

/** A request error: 400 for clients that accept application/graphql-response+json, 200 for the others. */
function asRequestError(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400, spec: true } } });
}
