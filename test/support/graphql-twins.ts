// The GraphQL reads each REST read route stands for, written out here (not taken from src/rest),
// and the REST shape of their answers, so a test can compare GET /v1/… with POST /graphql.
import { expect } from 'vitest';
import type { Session } from '../support/sign-in.js';
import type { TestApp } from '../support/test-app.js';

export const USER_FIELDS = 'id name email createdAt postsCount followersCount followingCount viewerIsFollowing';
export const POST_FIELDS = 'id title content author { id name } createdAt updatedAt commentsCount likesCount viewerHasLiked';
export const COMMENT_FIELDS = 'id body author { id name } post { id } createdAt';

export const restUser = (user: any) => ({
  id: user.id,
  name: user.name,
  email: user.email,
  created_at: user.createdAt,
  posts_count: user.postsCount,
  followers_count: user.followersCount,
  following_count: user.followingCount,
  viewer_is_following: user.viewerIsFollowing,
});

export const restPost = (post: any) => ({
  id: post.id,
  title: post.title,
  content: post.content,
  author: post.author,
  created_at: post.createdAt,
  updated_at: post.updatedAt,
  comments_count: post.commentsCount,
  likes_count: post.likesCount,
  viewer_has_liked: post.viewerHasLiked,
});

export const restComment = (comment: any) => ({
  id: comment.id,
  body: comment.body,
  author: comment.author,
  post_id: comment.post.id,
  created_at: comment.createdAt,
});

/** A GraphQL read: its document and variables, where its answer sits, and how to make it REST. */
export type Twin = { query: string; variables?: Record<string, unknown>; select: string; shape: (node: any) => unknown; list: boolean };

/** The REST form of what the twin reads through POST /graphql as `session` (anonymous when undefined). */
export async function readTwin(app: TestApp, twin: Twin, session?: Session): Promise<unknown> {
  const res = await app.query(twin.query, twin.variables, session);
  expect(res.errors).toBeUndefined();
  const selected = twin.select.split('.').reduce((value: any, key) => value?.[key], res.data);
  return twin.list ? selected.edges.map((edge: any) => twin.shape(edge.node)) : twin.shape(selected);
}
