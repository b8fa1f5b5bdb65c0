// Before anything executes: a request that carried a token that is not valid is refused
// (UNAUTHENTICATED, never silently anonymous), and a valid token is checked against its user:
// deleted, or revoked by logOut (a newer token version), is refused too. The check loads the
// viewer through the request's userById loader, so `viewer` and `email` reuse that row: it
// costs no statement a signed-in request would not make anyway.
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import { unauthenticated } from '../errors.js';

/**
 * null when the request may run; else the UNAUTHENTICATED error to answer with. Kept on the
 * context, so later gates (idempotency) can ask again without a second statement.
 */
export function checkViewer(ctx: Context): Promise<Error | null> {
  ctx.viewerCheck ??= checkViewerOnce(ctx);
  return ctx.viewerCheck;
}

async function checkViewerOnce(ctx: Context): Promise<Error | null> {
  if (ctx.credentials.kind === 'invalid') return unauthenticated(ctx.credentials.reason);
  if (!ctx.viewer) return null;
  const user = await ctx.loaders.userById.load(ctx.viewer.id);
  if (!user) return unauthenticated('The account of this token no longer exists.');
  if (user.tokenVersion !== ctx.viewer.tokenVersion) return unauthenticated('This token was revoked by logOut: log in again.');
  return null;
}

type Stop = (result: { errors: never[] }) => void;

/** Not async: an anonymous request, with nothing to check, goes on with no promise made. */
function refuseIfInvalid({ args, setResultAndStopExecution }: { args: { contextValue: Context }; setResultAndStopExecution: Stop }) {
  if (args.contextValue.credentials.kind === 'anonymous') return;
  return checkViewer(args.contextValue).then((error) => {
    if (error) setResultAndStopExecution({ errors: [error as never] });
  });
}

export function useAuthentication(): Plugin<Context> {
  return { onExecute: refuseIfInvalid, onSubscribe: refuseIfInvalid };
}
