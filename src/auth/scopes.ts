// The access rules (@pothos/plugin-scope-auth): who may do what. A signed-in viewer is checked
// on the field (`withAuth`), before its resolver runs. Ownership is decided only once the
// mutation has checked its input and holds the row (locked in its transaction, for posts and
// comments), so those resolvers call `builder.runAuthScopes` at that point: checked earlier, a
// bad input would answer FORBIDDEN instead of BAD_USER_INPUT, and the check would not hold the
// row it decided on.
import { AuthScopeFailureType, type AuthFailure, type ForbiddenResult } from '@pothos/plugin-scope-auth';
import type { Context } from '../context.js';
import { forbidden, notFound, unauthenticated } from '../errors.js';
import type { Viewer } from './viewer.js';

export type AuthScopes = {
  /** A signed-in viewer. The parameter is what the caller tried ("write a post"), for the message. */
  authenticated: string;
  /** The viewer is this user; someone else's account is FORBIDDEN, one that does not exist NOT_FOUND. */
  accountOwner: { id: number; shownAs: string };
  /** The viewer wrote this post. */
  postAuthor: { authorId: number };
  /** The viewer wrote this comment, or the post it replies to. */
  commentAuthor: { comment: { authorId: number }; postAuthorId: number };
};

type AccessRules = { [Scope in keyof AuthScopes]: (parameter: AuthScopes[Scope]) => boolean | Promise<boolean> };

/** What a field behind `authenticated` sees: the viewer is there. */
export type SignedInContext = Context & { viewer: Viewer };

// A scope's answer is cached for the request; actAs (src/context.ts) forgets them when the viewer changes.
export function accessRules(ctx: Context): AccessRules {
  return {
    authenticated: () => ctx.viewer !== null,
    accountOwner: async (user) => {
      if (ctx.viewer?.id === user.id) return true;
      if (!(await ctx.loaders.userById.load(user.id))) throw notFound(`User ${user.shownAs}`);
      return false;
    },
    postAuthor: (post) => ctx.viewer?.id === post.authorId,
    commentAuthor: ({ comment, postAuthorId }) => ctx.viewer !== null && [comment.authorId, postAuthorId].includes(ctx.viewer.id),
  };
}

/** The error of a field whose `authenticated` scope failed; no other scope is checked on a field. */
export function unauthorizedError(_parent: unknown, _ctx: Context, _info: unknown, result: ForbiddenResult): Error {
  const doing = attemptOf(result.failure);
  if (doing === undefined) return forbidden(result.message);
  return unauthenticated(`Sign in to ${doing}: send Authorization: Bearer <token> from createUser or logIn.`);
}

function attemptOf(failure: AuthFailure): string | undefined {
  if (failure.kind === AuthScopeFailureType.AnyAuthScopes || failure.kind === AuthScopeFailureType.AllAuthScopes)
    return failure.failures.map(attemptOf).find(Boolean);
  if (failure.kind === AuthScopeFailureType.AuthScope && failure.scope === 'authenticated' && typeof failure.parameter === 'string')
    return failure.parameter;
  return undefined;
}
