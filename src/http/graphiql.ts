import type { Plugin } from 'graphql-yoga';
export function useGraphiQL(_path: string): Plugin {
  return {};
}
