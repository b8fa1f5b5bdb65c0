// node(id:) and nodes(ids:): refetch any object by its global id, batched like every other read.
import { brandWithType } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import { loadPost, loadUser } from './carried-reads.js';
import { builder } from './builder.js';
import { parseGlobalId, parseGlobalIds, type GlobalId } from './global-id.js';

/** The object a global id names, or null: missing, or of a type that is not a node. */
async function loadNode({ typename, id }: GlobalId, ctx: Context, info: GraphQLResolveInfo): Promise<object | null> {
  const row =
    typename === 'User'
      ? await loadUser(ctx, id, info)
      : typename === 'Post'
        ? await loadPost(ctx, id, info)
        : typename === 'Comment'
          ? await ctx.loaders.commentById.load(id)
          : null;
  // Rows are plain objects: the brand tells the Node interface which type each one is.
  if (row) brandWithType(row, typename as never);
  return row;
}

builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    args: { id: t.arg.id({ required: true, description: 'Any global id.' }) },
    description: 'Any object by its global id; null when there is none.',
    resolve: (_root, args, ctx, info) => loadNode(parseGlobalId(args.id, 'id'), ctx, info),
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    args: { ids: t.arg.idList({ required: true, description: 'Global ids, at most 100.' }) },
    complexity: (args) => ({ field: 1, multiplier: args.ids.length }),
    description: 'Objects by global id, in the order asked; null where there is none.',
    resolve: (_root, args, ctx, info) => Promise.all(parseGlobalIds(args.ids.map(String), 'ids').map((id) => loadNode(id, ctx, info))),
  }),
}));
