// The token limit, enforced by graphql's parser itself (maxLexicalTokens): it stops lexing at the
// first token over the limit, so a huge document costs no more than a document at the limit.
// The error is the parser's own: GRAPHQL_PARSE_FAILED. An envelop hook: it also applies to the
// WebSocket transport, which parses through yoga's getEnveloped.
import { parse, type ParseOptions, type Source } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function useTokenLimit(maxLexicalTokens: number): Plugin {
  // Made once: onParse runs for every request, a cached document's included.
  const limitedParse = (source: string | Source, options?: ParseOptions) => parse(source, { ...options, maxLexicalTokens });
  return {
    onParse({ setParseFn }) {
      setParseFn(limitedParse);
    },
  };
}
