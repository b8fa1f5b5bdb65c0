// Mutations on posts: writing, editing and deleting one's own, liking and unliking any.
import { CHANGES, changed } from '../cache/changes.js';
import { forgetReads, type Context } from '../context.js';
import type { Db } from '../db/client.js';
import type { PostRow } from '../db/schema.js';
import { forbidden, notFound } from '../errors.js';
import { like, unlike } from '../model/likes.js';
import { createPost, deletePost, lockedPost, updatePost } from '../model/posts.js';
import { builder } from './builder.js';
import { idForWrite, parseGlobalId } from './global-id.js';
import { InputCheck, type TextRule } from './input.js';
import { Post } from './refs.js';

const TITLE_RULE: TextRule = { min: 1, max: 200 };
const CONTENT_RULE: TextRule = { min: 1, max: 20_000, multiline: true };

const CreatePostInput = builder.inputType('CreatePostInput', {
  description: 'A new post: title 1–200 characters, content 1–20,000 characters.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'Plain text on one line, 1–200 characters; surrounding whitespace is trimmed.' }),
    content: t.string({
      required: true,
      description: 'Plain text, 1–20,000 characters; line breaks and tabs are kept, surrounding whitespace is trimmed.',
    }),
  }),
});

const UpdatePostInput = builder.inputType('UpdatePostInput', {
  description: 'What to change on a post: give at least one field; those left out (or null) stay as they are.',
  fields: (t) => ({
    title: t.string({ description: 'A new title, 1–200 characters.' }),
    content: t.string({ description: 'A new content, 1–20,000 characters.' }),
  }),
});

/** The post to edit or delete, locked, after checking it exists and the viewer wrote it. */
async function ownPost(ctx: Context, tx: Db, id: number, shownAs: string, doing: string): Promise<PostRow> {
  const post = await lockedPost(tx, id, 'update');
  if (!post) throw notFound(`Post ${shownAs}`);
  await builder.runAuthScopes(ctx, { postAuthor: post }, () => forbidden(`Only its author can ${doing} this post.`));
  return post;
}

/** Likes or unlikes; answers with the post as the viewer now sees it. */
async function setLiked(ctx: Context, viewerId: number, postGid: string, isLiked: boolean): Promise<PostRow> {
  const id = idForWrite(parseGlobalId(postGid, 'postId'), 'Post', postGid);
  const post = await ctx.db.transaction(async (tx) => {
    const target = await lockedPost(tx, id, 'key share');
    if (!target) throw notFound(`Post ${postGid}`);
    await (isLiked ? like : unlike)(tx, viewerId, id);
    return target;
  });
  changed(ctx, CHANGES.likeChanged(post.id));
  forgetReads(ctx);
  ctx.loaders.postById.prime(post.id, post);
  ctx.loaders.derived.viewerHasLiked.prime(post.id, isLiked);
  return post;
}

builder.mutationFields((t) => ({
  createPost: t.withAuth({ authenticated: 'write a post' }).field({
    type: Post,
    args: { input: t.arg({ type: CreatePostInput, required: true, description: 'The new post.' }) },
    description: 'Publishes a post by the viewer and returns it.',
    resolve: async (_root, { input }, ctx) => {
      const check = new InputCheck();
      const title = check.text('input.title', input.title, TITLE_RULE);
      const content = check.text('input.content', input.content, CONTENT_RULE);
      check.done();
      const post = await ctx.db.transaction((tx) => createPost(tx, { authorId: ctx.viewer.id, title, content }));
      changed(ctx, CHANGES.postCreated(post));
      // Committed: only now may subscribers hear of it (a rolled-back write never reaches here).
      ctx.pubsub.publish('postCreated', { postId: post.id, authorId: post.authorId });
      forgetReads(ctx);
      ctx.loaders.postById.prime(post.id, post);
      return post;
    },
  }),
  updatePost: t.withAuth({ authenticated: 'edit a post' }).field({
    type: Post,
    args: {
      id: t.arg.id({ required: true, description: 'The Post to edit.' }),
      input: t.arg({ type: UpdatePostInput, required: true, description: 'What to change.' }),
    },
    description: 'Edits a post (its author only, else FORBIDDEN) and returns it; updatedAt advances, createdAt stays.',
    resolve: async (_root, args, ctx) => {
      const check = new InputCheck();
      const target = check.globalId('id', args.id);
      const changes = {
        title: check.optionalText('input.title', args.input.title, TITLE_RULE),
        content: check.optionalText('input.content', args.input.content, CONTENT_RULE),
      };
      if (changes.title === undefined && changes.content === undefined)
        check.problem('input', 'input must change something: give a title, a content or both.');
      check.done();
      const id = idForWrite(target!, 'Post', args.id);
      const post = await ctx.db.transaction(async (tx) => {
        await ownPost(ctx, tx, id, args.id, 'edit');
        return (await updatePost(tx, id, changes))!;
      });
      changed(ctx, CHANGES.postUpdated(post));
      forgetReads(ctx);
      ctx.loaders.postById.prime(post.id, post);
      return post;
    },
  }),
  deletePost: t.withAuth({ authenticated: 'delete a post' }).boolean({
    args: { id: t.arg.id({ required: true, description: 'The Post to delete.' }) },
    description: 'Deletes a post (its author only, else FORBIDDEN) with its comments and likes. Returns true.',
    resolve: async (_root, args, ctx) => {
      const id = idForWrite(parseGlobalId(args.id, 'id'), 'Post', args.id);
      const post = await ctx.db.transaction(async (tx) => {
        const own = await ownPost(ctx, tx, id, args.id, 'delete');
        await deletePost(tx, id);
        return own;
      });
      changed(ctx, CHANGES.postDeleted(post));
      forgetReads(ctx);
      return true;
    },
  }),
  likePost: t.withAuth({ authenticated: 'like a post' }).field({
    type: Post,
    args: { postId: t.arg.id({ required: true, description: 'The Post to like.' }) },
    description: 'Likes a post and returns it. Idempotent: liking it again changes nothing.',
    resolve: (_root, args, ctx) => setLiked(ctx, ctx.viewer.id, args.postId, true),
  }),
  unlikePost: t.withAuth({ authenticated: 'unlike a post' }).field({
    type: Post,
    args: { postId: t.arg.id({ required: true, description: 'The Post to stop liking.' }) },
    description: 'Takes back a like and returns the post. Idempotent: unliking a post not liked changes nothing.',
    resolve: (_root, args, ctx) => setLiked(ctx, ctx.viewer.id, args.postId, false),
  }),
}));
