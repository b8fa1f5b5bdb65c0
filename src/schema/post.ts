// The Post type, its connection pair, and the root fields that return posts.
import { useEventLoaders } from '../context.js';
import { mustExist, notFound, unauthenticated } from '../errors.js';
import { builder } from './builder.js';
import { CommentConnection, Post, PostConnection, User } from './refs.js';
import { idForWrite, idOfType, parseGlobalId } from './global-id.js';
import { pageCost } from '../pagination/bounds.js';
import { byCreation, pageArgs, readPage, toConnection } from './pagination.js';
import { DEFAULT_POST_ORDER, postPageArgs } from './post-order.js';
import { rowShapeOf } from './selection.js';
import { CHILD_FIELDS, childPages } from './child-pages.js';
import { loadPost } from './carried-reads.js';
import type { CommentRow } from '../db/schema.js';

builder.node(Post, {
  description: 'Something a user wrote: a title and a text, with comments and likes.',
  id: { resolve: (post) => post.id },
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Plain text, 1–200 characters.' }),
    content: t.exposeString('content', { description: 'Plain text, 1–20,000 characters.' }),
    author: t.field({
      type: User,
      description: 'Who wrote it.',
      resolve: async (post, _args, ctx) => mustExist(await ctx.loaders.userById.load(post.authorId), 'author', post.id),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was published.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it was last edited; equals createdAt until then.' }),
    comments: t.field({
      type: CommentConnection,
      args: pageArgs,
      complexity: pageCost,
      description: 'Comments on it, oldest first.',
      resolve: childPages<CommentRow>(CHILD_FIELDS.Post.comments, byCreation),
    }),
    // commentsCount, likesCount, viewerHasLiked: schema/derived.ts
  }),
});

builder.queryFields((t) => ({
  post: t.field({
    type: Post,
    nullable: true,
    args: { id: t.arg.id({ required: true, description: 'A Post id.' }) },
    description: 'A post by id; null when there is none (or the id is of another type).',
    resolve: (_root, args, ctx, info) => {
      const id = idOfType(parseGlobalId(args.id, 'id'), 'Post');
      return id === null ? null : loadPost(ctx, id, info);
    },
  }),
  posts: t.field({
    type: PostConnection,
    args: postPageArgs,
    complexity: pageCost,
    description: 'Every post, newest first (or oldest first: `order`).',
    resolve: async (_root, args, ctx, info) =>
      toConnection(
        await ctx.loaders.postPageByArgs.load({ ...readPage(args, DEFAULT_POST_ORDER), shape: rowShapeOf(ctx, info, 'Post') }),
        byCreation,
      ),
  }),
  feed: t.withAuth({ authenticated: 'read your feed' }).field({
    type: PostConnection,
    args: postPageArgs,
    complexity: pageCost,
    description:
      "The signed-in viewer's home feed: their own posts and those of everyone they follow, newest first (or oldest first: `order`). UNAUTHENTICATED when anonymous.",
    unauthorizedError: () => unauthenticated('The feed is personal: sign in first (Authorization: Bearer <token>).'),
    resolve: async (_root, args, ctx, info) =>
      toConnection(
        await ctx.loaders.feedPageByArgs.load({ ...readPage(args, DEFAULT_POST_ORDER), shape: rowShapeOf(ctx, info, 'Post') }),
        byCreation,
      ),
  }),
}));

builder.subscriptionFields((t) => ({
  postCreated: t.field({
    type: Post,
    args: {
      authorId: t.arg.id({ description: "Only this User's posts; every post when absent. A user that does not exist is NOT_FOUND." }),
    },
    description: "Every new post, or one author's.",
    subscribe: async (_root, args, ctx) => {
      let authorId: number | null = null;
      if (args.authorId !== null && args.authorId !== undefined) {
        const shownAs = args.authorId;
        authorId = idForWrite(parseGlobalId(shownAs, 'authorId'), 'User', shownAs);
        if (!(await ctx.loaders.userById.load(authorId))) throw notFound(`User ${shownAs}`);
      }
      // A post deleted before its event is resolved is skipped: one statement for all subscribers.
      return ctx.pubsub.subscribe(
        ctx,
        'postCreated',
        async (event) =>
          (authorId === null || event.authorId === authorId) && (await event.loaders.shared.postById.load(event.postId)) !== null,
      );
    },
    resolve: async (event, _args, ctx) => {
      useEventLoaders(ctx, event.loaders);
      return mustExist(await ctx.loaders.postById.load(event.postId), 'post', event.postId);
    },
  }),
}));
