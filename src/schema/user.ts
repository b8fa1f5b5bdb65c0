// The User type, its connection pair, and the root fields that return users.
import type { PostRow } from '../db/schema.js';
import type { FollowUserRow } from '../model/follows.js';
import { builder } from './builder.js';
import { PostConnection, User, UserConnection } from './refs.js';
import { idOfType, parseGlobalId } from './global-id.js';
import { pageCost } from '../pagination/bounds.js';
import { byCreation, pageArgs, readPage, toConnection } from './pagination.js';
import { postPageArgs } from './post-order.js';
import { rowShapeOf } from './selection.js';
import { CHILD_FIELDS, childPages } from './child-pages.js';
import { loadUser } from './carried-reads.js';
import type { InputProblem } from '../errors.js';

builder.node(User, {
  description: 'Someone with an account: they write posts and comments, follow people and like posts.',
  id: { resolve: (user) => user.id },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name they chose, 1–100 characters.' }),
    email: t.string({
      nullable: true,
      description: 'Their email address: visible only to the user themself, null for everyone else.',
      resolve: (user, _args, ctx) => (ctx.viewer?.id === user.id ? user.email : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When they signed up.' }),
    posts: t.field({
      type: PostConnection,
      args: postPageArgs,
      complexity: pageCost,
      description: 'What they wrote, newest first (or oldest first: `order`).',
      resolve: childPages<PostRow>(CHILD_FIELDS.User.posts, byCreation),
    }),
    followers: t.field({
      type: UserConnection,
      args: pageArgs,
      complexity: pageCost,
      description: 'The people who follow them, most recent follow first.',
      resolve: childPages<FollowUserRow>(CHILD_FIELDS.User.followers, byFollowTime),
    }),
    following: t.field({
      type: UserConnection,
      args: pageArgs,
      complexity: pageCost,
      description: 'The people they follow, most recent follow first.',
      resolve: childPages<FollowUserRow>(CHILD_FIELDS.User.following, byFollowTime),
    }),
    // followersCount, followingCount, postsCount, viewerIsFollowing: schema/derived.ts
  }),
});

/** Followers and following page by when the follow happened. */
const byFollowTime = (row: FollowUserRow) => ({ at: row.followedAt, id: row.id });

/** @default 100 characters: as long as a name can be. */
const MAX_SEARCH_LENGTH = 100;

/** Blank means no filter; anything Postgres cannot compare (NUL) or absurdly long is refused. */
function searchProblems(search: string | null): InputProblem[] {
  if (search === null || (search.length <= MAX_SEARCH_LENGTH && !search.includes('\0'))) return [];
  return [{ field: 'search', message: `search must be at most ${MAX_SEARCH_LENGTH} characters, without NUL characters.` }];
}

builder.queryFields((t) => ({
  viewer: t.field({
    type: User,
    nullable: true,
    description: 'The signed-in user; null when anonymous.',
    resolve: (_root, _args, ctx, info) => (ctx.viewer ? loadUser(ctx, ctx.viewer.id, info) : null),
  }),
  user: t.field({
    type: User,
    nullable: true,
    args: { id: t.arg.id({ required: true, description: 'A User id.' }) },
    description: 'A user by id; null when there is none (or the id is of another type).',
    resolve: (_root, args, ctx, info) => {
      const id = idOfType(parseGlobalId(args.id, 'id'), 'User');
      return id === null ? null : loadUser(ctx, id, info);
    },
  }),
  users: t.field({
    type: UserConnection,
    args: {
      ...pageArgs,
      search: t.arg.string({ description: 'Only users whose name contains this text, ignoring case.' }),
    },
    complexity: pageCost,
    description: 'Every user, newest first; `search` narrows them by name.',
    resolve: async (_root, args, ctx, info) => {
      const search = args.search?.trim() || null;
      const page = readPage(args, 'newest-first', searchProblems(search));
      return toConnection(await ctx.loaders.userPageByArgs.load({ ...page, search, shape: rowShapeOf(ctx, info, 'User') }), byCreation);
    },
  }),
}));
