// Mutations on users: editing and deleting one's own account, following and unfollowing.
import { CHANGES, changed } from '../cache/changes.js';
import { actAs, forgetReads, type Context } from '../context.js';
import type { UserRow } from '../db/schema.js';
import { badUserInput, forbidden, notFound } from '../errors.js';
import { follow, unfollow } from '../model/follows.js';
import { deleteUser, updateUser, userForReference } from '../model/users.js';
import { NAME_RULE } from './account.js';
import { builder } from './builder.js';
import { idForWrite, parseGlobalId } from './global-id.js';
import { InputCheck } from './input.js';
import { User } from './refs.js';

const UpdateUserInput = builder.inputType('UpdateUserInput', {
  description: 'What to change on an account: give at least one field; those left out (or null) stay as they are.',
  fields: (t) => ({
    name: t.string({ description: 'A new name, 1–100 characters; surrounding whitespace is trimmed.' }),
    email: t.string({ description: 'A new email address, not registered to anyone else (in any case).' }),
  }),
});

/** Only the viewer's own account: someone else's is FORBIDDEN, one that does not exist NOT_FOUND. */
async function ownAccount(ctx: Context, id: number, shownAs: string, doing: string): Promise<void> {
  await builder.runAuthScopes(ctx, { accountOwner: { id, shownAs } }, () => forbidden(`You can only ${doing} your own account.`));
}

/** Follows or unfollows; answers with the user as the viewer now sees them. */
async function setFollowing(ctx: Context, viewerId: number, userGid: string, isFollowing: boolean): Promise<UserRow> {
  const id = idForWrite(parseGlobalId(userGid, 'userId'), 'User', userGid);
  if (isFollowing && id === viewerId)
    throw badUserInput([{ field: 'userId', message: 'You cannot follow yourself: userId must name someone else.' }]);
  const user = await ctx.db.transaction(async (tx) => {
    const followee = await userForReference(tx, id);
    if (!followee) throw notFound(`User ${userGid}`);
    await (isFollowing ? follow : unfollow)(tx, viewerId, id);
    return followee;
  });
  changed(ctx, CHANGES.followChanged(viewerId, user.id));
  forgetReads(ctx);
  ctx.loaders.userById.prime(user.id, user);
  ctx.loaders.derived.viewerIsFollowing.prime(user.id, isFollowing);
  return user;
}

builder.mutationFields((t) => ({
  updateUser: t.withAuth({ authenticated: 'edit your account' }).field({
    type: User,
    args: {
      id: t.arg.id({ required: true, description: 'Your own User id.' }),
      input: t.arg({ type: UpdateUserInput, required: true, description: 'What to change.' }),
    },
    description: "Edits your own account (anyone else's is FORBIDDEN) and returns it. An email registered to someone else is CONFLICT.",
    resolve: async (_root, args, ctx) => {
      const check = new InputCheck();
      const target = check.globalId('id', args.id);
      const changes = {
        name: check.optionalText('input.name', args.input.name, NAME_RULE),
        email: check.optionalEmail('input.email', args.input.email),
      };
      if (changes.name === undefined && changes.email === undefined)
        check.problem('input', 'input must change something: give a name, an email or both.');
      check.done();
      const id = idForWrite(target!, 'User', args.id);
      await ownAccount(ctx, id, args.id, 'edit');
      const user = await ctx.db.transaction((tx) => updateUser(tx, id, changes));
      // The viewer's row was checked before execution; gone now means deleted meanwhile.
      if (!user) throw notFound(`User ${args.id}`);
      changed(ctx, CHANGES.userUpdated(user));
      forgetReads(ctx);
      ctx.loaders.userById.prime(user.id, user);
      return user;
    },
  }),
  deleteUser: t.withAuth({ authenticated: 'delete your account' }).boolean({
    args: { id: t.arg.id({ required: true, description: 'Your own User id.' }) },
    description:
      "Deletes your own account (anyone else's is FORBIDDEN) with everything in it: posts, comments, follows and likes. Its tokens stop working. Returns true.",
    resolve: async (_root, args, ctx) => {
      const id = idForWrite(parseGlobalId(args.id, 'id'), 'User', args.id);
      await ownAccount(ctx, id, args.id, 'delete');
      const isDeleted = await ctx.db.transaction((tx) => deleteUser(tx, id));
      if (!isDeleted) throw notFound(`User ${args.id}`);
      changed(ctx, CHANGES.userDeleted());
      // After commit: subscriptions opened with any of the account's tokens close, on every instance.
      ctx.pubsub.publish('tokensRevoked', { userId: id, tokenVersion: Number.MAX_SAFE_INTEGER });
      actAs(ctx, null);
      return true;
    },
  }),
  followUser: t.withAuth({ authenticated: 'follow someone' }).field({
    type: User,
    args: { userId: t.arg.id({ required: true, description: 'Whom to follow.' }) },
    description:
      'Follows someone and returns them. Idempotent: following them again changes nothing. Following yourself is BAD_USER_INPUT.',
    resolve: (_root, args, ctx) => setFollowing(ctx, ctx.viewer.id, args.userId, true),
  }),
  unfollowUser: t.withAuth({ authenticated: 'unfollow someone' }).field({
    type: User,
    args: { userId: t.arg.id({ required: true, description: 'Whom to stop following.' }) },
    description: 'Stops following someone and returns them. Idempotent: unfollowing someone not followed changes nothing.',
    resolve: (_root, args, ctx) => setFollowing(ctx, ctx.viewer.id, args.userId, false),
  }),
}));
