// The Comment type and its connection pair.
import type { CommentRow } from '../db/schema.js';
import { mustExist } from '../errors.js';
import { builder } from './builder.js';
import { Post } from './post.js';
import { User } from './user.js';

// Declared apart from its implementation so that types that refer to each other type-check.
export const Comment = builder.objectRef<CommentRow>('Comment');

builder.node(Comment, {
  description: 'A reply to a post.',
  id: { resolve: (comment) => comment.id },
  fields: (t) => ({
    body: t.exposeString('body', { description: 'Plain text, 1–5,000 characters.' }),
    author: t.field({
      type: User,
      description: 'Who wrote it.',
      resolve: async (comment, _args, ctx) => mustExist(await ctx.loaders.userById.load(comment.authorId), 'author', comment.id),
    }),
    post: t.field({
      type: Post,
      description: 'The post it replies to.',
      resolve: async (comment, _args, ctx) => mustExist(await ctx.loaders.postById.load(comment.postId), 'post', comment.id),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was written.' }),
  }),
});

export const CommentConnection = builder.connectionObject({
  type: Comment,
  name: 'CommentConnection',
  description: 'A page of comments.',
  edgesNullable: { list: false, items: false },
  nodeNullable: false,
}, { description: 'A comment in a page, with its cursor.' });
