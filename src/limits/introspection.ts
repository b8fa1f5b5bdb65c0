// INTROSPECTION=false refuses __schema and __type (graphql's NoSchemaIntrospectionCustomRule:
// GRAPHQL_VALIDATION_FAILED; __typename stays). In production, validation messages lose their
// "Did you mean …?" hints, which would otherwise spell out the schema that introspection hides.
// Envelop hooks: they apply to the WebSocket transport too.
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';

const SUGGESTION = / Did you mean [^?]*\?$/;

export function useIntrospectionRules(limits: Config['limits']): Plugin {
  return {
    onValidate({ addValidationRule }) {
      if (!limits.introspection) addValidationRule(NoSchemaIntrospectionCustomRule);
      if (limits.fieldSuggestions) return;
      return ({ result, setResult }) => {
        if (result.some((error) => SUGGESTION.test(error.message))) setResult(result.map((error) => (error instanceof GraphQLError ? withoutSuggestion(error) : error)));
      };
    },
  };
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
