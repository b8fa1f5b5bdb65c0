// The read of one user or post that a root field makes (user, viewer, post, node, nodes): the row,
// carrying in the same statement what its selection asks of it, its derived values and the pages
// of its connections (schema/child-pages.ts), which then answer the fields below from the cache.
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import type { PostRow, UserRow } from '../db/schema.js';
import { childPagesOf } from './child-pages.js';
import { rowShapeOf } from './selection.js';

/** A user by id: one statement with what its selection asks of it (none when it is loaded and asks nothing more). */
export function loadUser(ctx: Context, id: number, info: GraphQLResolveInfo): Promise<UserRow | null> {
  const shape = rowShapeOf(ctx, info, 'User', []);
  const pages = childPagesOf(ctx, info, 'User');
  if (shape.derived.names.length === 0 && pages.length === 0) return ctx.loaders.userById.load(id);
  return ctx.loaders.userCarryingById.load({ id, shape, pages });
}

/** A post by id, as loadUser. */
export function loadPost(ctx: Context, id: number, info: GraphQLResolveInfo): Promise<PostRow | null> {
  const shape = rowShapeOf(ctx, info, 'Post', []);
  const pages = childPagesOf(ctx, info, 'Post');
  if (shape.derived.names.length === 0 && !shape.author && pages.length === 0) return ctx.loaders.postById.load(id);
  return ctx.loaders.postCarryingById.load({ id, shape, pages });
}
