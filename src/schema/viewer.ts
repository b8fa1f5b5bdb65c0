// The signed-in viewer a mutation acts as. By the time a resolver runs, useAuthentication has
// refused invalid, revoked and orphaned tokens (src/auth/authentication.ts): a viewer here exists.
import type { Viewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { unauthenticated } from '../errors.js';

/** `doing`: what the caller tried, for the message ("follow someone"). */
export function viewerOf(ctx: Context, doing: string): Viewer {
  if (!ctx.viewer) throw unauthenticated(`Sign in to ${doing}: send Authorization: Bearer <token> from createUser or logIn.`);
  return ctx.viewer;
}
