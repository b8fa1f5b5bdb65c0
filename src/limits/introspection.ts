// INTROSPECTION=false refuses __schema and __type (graphql's NoSchemaIntrospectionCustomRule:
// GRAPHQL_VALIDATION_FAILED; __typename stays). In production, validation messages lose their
// "Did you mean …?" hints, which would otherwise spell out the schema that introspection hides.
// Envelop hooks: they apply to the WebSocket transport too.
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { introspectionTooDeep } from '../errors.js';

const SUGGESTION = / Did you mean [^?]*\?$/;

/** graphql's MaxIntrospectionDepthRule (one of its specified rules) says only this. */
const INTROSPECTION_TOO_DEEP = 'Maximum introspection depth exceeded';
/** The rule's bound: fields, interfaces, possibleTypes or inputFields nested at most 3 deep. */
const INTROSPECTION_LIST_DEPTH = 3;

type AfterValidate = Exclude<ReturnType<NonNullable<Plugin['onValidate']>>, void>;

export function useIntrospectionRules(limits: Config['limits']): Plugin {
  const isReworded = (error: Error) =>
    error.message === INTROSPECTION_TOO_DEEP || (!limits.fieldSuggestions && SUGGESTION.test(error.message));
  // Made once: onValidate runs for every request, a cached validation's included.
  const reword: AfterValidate = ({ result, setResult }) => {
    if (result.length > 0 && result.some(isReworded))
      setResult(result.map((error: Error) => (error instanceof GraphQLError ? reworded(error, limits.fieldSuggestions) : error)));
  };
  return {
    onValidate({ addValidationRule }) {
      if (!limits.introspection) addValidationRule(NoSchemaIntrospectionCustomRule);
      return reword;
    },
  };
}

/** Introspection nested too deep is QUERY_TOO_DEEP, as any other depth; suggestions go when they must. */
function reworded(error: GraphQLError, keepsSuggestions: boolean): GraphQLError {
  if (error.message === INTROSPECTION_TOO_DEEP) {
    const tooDeep = introspectionTooDeep(INTROSPECTION_LIST_DEPTH);
    return new GraphQLError(tooDeep.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      extensions: tooDeep.extensions,
    });
  }
  return keepsSuggestions ? error : withoutSuggestion(error);
}

/** The same error without its "Did you mean …?" sentence. */
export function withoutSuggestion(error: GraphQLError): GraphQLError {
  if (!SUGGESTION.test(error.message)) return error;
  return new GraphQLError(error.message.replace(SUGGESTION, ''), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}
