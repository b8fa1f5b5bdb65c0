// The Comment type, its connection pair, and the mutations that write and delete comments.
import { CHANGES, changed } from '../cache/changes.js';
import { forgetReads, useEventLoaders } from '../context.js';
import { forbidden, mustExist, notFound } from '../errors.js';
import { commentForDelete, createComment, deleteComment } from '../model/comments.js';
import { lockedPost } from '../model/posts.js';
import { builder } from './builder.js';
import { Comment, Post, User } from './refs.js';
import { idForWrite, parseGlobalId } from './global-id.js';
import { InputCheck, type TextRule } from './input.js';

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

const BODY_RULE: TextRule = { min: 1, max: 5000, multiline: true };

const CreateCommentInput = builder.inputType('CreateCommentInput', {
  description: 'A new comment: the post it replies to, and a body of 1–5,000 characters.',
  fields: (t) => ({
    postId: t.id({ required: true, description: 'The Post it replies to.' }),
    body: t.string({
      required: true,
      description: 'Plain text, 1–5,000 characters; line breaks and tabs are kept, surrounding whitespace is trimmed.',
    }),
  }),
});

builder.mutationFields((t) => ({
  createComment: t.withAuth({ authenticated: 'comment' }).field({
    type: Comment,
    args: { input: t.arg({ type: CreateCommentInput, required: true, description: 'The new comment.' }) },
    description: 'Replies to a post as the viewer and returns the comment. A post that does not exist is NOT_FOUND.',
    resolve: async (_root, { input }, ctx) => {
      const check = new InputCheck();
      const target = check.globalId('input.postId', input.postId);
      const body = check.text('input.body', input.body, BODY_RULE);
      check.done();
      const postId = idForWrite(target!, 'Post', input.postId);
      const comment = await ctx.db.transaction(async (tx) => {
        // Held until commit, so the post cannot be deleted under the new comment.
        if (!(await lockedPost(tx, postId, 'key share'))) throw notFound(`Post ${input.postId}`);
        return createComment(tx, { postId, authorId: ctx.viewer.id, body });
      });
      changed(ctx, CHANGES.commentChanged(comment));
      // Committed: only now may subscribers hear of it (a rolled-back write never reaches here).
      ctx.pubsub.publish('commentAdded', { commentId: comment.id, postId: comment.postId });
      forgetReads(ctx);
      ctx.loaders.commentById.prime(comment.id, comment);
      return comment;
    },
  }),
  deleteComment: t.withAuth({ authenticated: 'delete a comment' }).boolean({
    args: { id: t.arg.id({ required: true, description: 'The Comment to delete.' }) },
    description: "Deletes a comment: the comment's author or the post's author may, anyone else is FORBIDDEN. Returns true.",
    resolve: async (_root, args, ctx) => {
      const id = idForWrite(parseGlobalId(args.id, 'id'), 'Comment', args.id);
      const deleted = await ctx.db.transaction(async (tx) => {
        const found = await commentForDelete(tx, id);
        if (!found) throw notFound(`Comment ${args.id}`);
        await builder.runAuthScopes(ctx, { commentAuthor: found }, () =>
          forbidden("Only the comment's author or the post's author can delete this comment."),
        );
        await deleteComment(tx, id);
        return found.comment;
      });
      changed(ctx, CHANGES.commentChanged(deleted));
      forgetReads(ctx);
      return true;
    },
  }),
}));

builder.subscriptionFields((t) => ({
  commentAdded: t.field({
    type: Comment,
    args: {
      postId: t.arg.id({ required: true, description: 'The Post whose new comments to receive. A post that does not exist is NOT_FOUND.' }),
    },
    description: 'Every new comment on one post.',
    subscribe: async (_root, args, ctx) => {
      const shownAs = args.postId;
      const postId = idForWrite(parseGlobalId(shownAs, 'postId'), 'Post', shownAs);
      if (!(await ctx.loaders.postById.load(postId))) throw notFound(`Post ${shownAs}`);
      // A comment deleted before its event is resolved is skipped: one statement for all subscribers.
      return ctx.pubsub.subscribe(
        ctx,
        'commentAdded',
        async (event) => event.postId === postId && (await event.loaders.shared.commentById.load(event.commentId)) !== null,
      );
    },
    resolve: async (event, _args, ctx) => {
      useEventLoaders(ctx, event.loaders);
      return mustExist(await ctx.loaders.commentById.load(event.commentId), 'comment', event.commentId);
    },
  }),
}));
