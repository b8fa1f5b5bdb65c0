// Accounts: createUser, logIn, logOut, and the AuthPayload the first two answer with.
import { hashPassword, isPasswordCorrect } from '../auth/password.js';
import { signToken } from '../auth/token.js';
import { CHANGES, changed } from '../cache/changes.js';
import { actAs, type Context } from '../context.js';
import type { UserRow } from '../db/schema.js';
import { unauthenticated } from '../errors.js';
import { advanceTokenVersion, createUser, userByEmail } from '../model/users.js';
import { builder } from './builder.js';
import { InputCheck, type TextRule } from './input.js';
import { User } from './refs.js';

export const NAME_RULE: TextRule = { min: 1, max: 100 };
/** At least 8; at most 1000, because argon2 hashes whatever it is given: a megabyte password would be cheap CPU to burn. */
const PASSWORD_BOUNDS = { min: 8, max: 1000 };

type AuthPayloadShape = { token: string; user: UserRow };

const AuthPayload = builder.objectRef<AuthPayloadShape>('AuthPayload').implement({
  description: 'A signed-in session: a token, and the user it signs in.',
  fields: (t) => ({
    token: t.exposeString('token', {
      description: 'Send it as `Authorization: Bearer <token>`. It expires (after 7 days by default); logOut revokes it sooner.',
    }),
    user: t.field({ type: User, description: 'The signed-in user; their email is visible here.', resolve: (payload) => payload.user }),
  }),
});

const CreateUserInput = builder.inputType('CreateUserInput', {
  description: 'A new account: name 1–100 characters, a valid email not registered yet (in any case), password at least 8 characters.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'The name everyone sees, 1–100 characters; surrounding whitespace is trimmed.' }),
    email: t.string({
      required: true,
      description: 'An email address (at most 254 characters), unique ignoring case; kept as written and visible only to its owner.',
    }),
    password: t.string({
      required: true,
      description: '8–1,000 characters, used exactly as written (not trimmed); never stored or shown.',
    }),
  }),
});

const LogInInput = builder.inputType('LogInInput', {
  description: 'The email and password of an existing account.',
  fields: (t) => ({
    email: t.string({ required: true, description: 'The account email, in any case.' }),
    password: t.string({ required: true, description: 'The account password, exactly as it was set.' }),
  }),
});

/** The rest of the response is read as this user; the token carries their current version. */
async function signIn(ctx: Context, user: UserRow): Promise<AuthPayloadShape> {
  actAs(ctx, { id: user.id, tokenVersion: user.tokenVersion });
  ctx.loaders.userById.prime(user.id, user);
  return { token: await signToken(ctx.tokens, { userId: user.id, tokenVersion: user.tokenVersion }), user };
}

builder.mutationFields((t) => ({
  createUser: t.field({
    type: AuthPayload,
    args: { input: t.arg({ type: CreateUserInput, required: true, description: 'The new account.' }) },
    description: 'Signs up: creates an account and signs it in. A registered email (in any case) is CONFLICT.',
    resolve: async (_root, { input }, ctx) => {
      const check = new InputCheck();
      const name = check.text('input.name', input.name, NAME_RULE);
      const email = check.email('input.email', input.email);
      check.password('input.password', input.password, PASSWORD_BOUNDS);
      check.done();
      // Hashed before the transaction: argon2 takes tens of milliseconds, no connection should wait on it.
      const passwordHash = await hashPassword(input.password);
      const user = await ctx.db.transaction((tx) => createUser(tx, { name, email, passwordHash }));
      changed(ctx, CHANGES.userCreated(user));
      return signIn(ctx, user);
    },
  }),
  logIn: t.field({
    type: AuthPayload,
    args: { input: t.arg({ type: LogInInput, required: true, description: 'Email and password.' }) },
    description: 'Signs in with email and password. A wrong password and an unknown email get the same UNAUTHENTICATED answer.',
    resolve: async (_root, { input }, ctx) => {
      const check = new InputCheck();
      const email = check.email('input.email', input.email);
      check.password('input.password', input.password, { min: 1, max: PASSWORD_BOUNDS.max });
      check.done();
      const user = await userByEmail(ctx.db, email);
      // Checked even when nobody has this email (against a decoy hash): the same time either way.
      const isCorrect = await isPasswordCorrect(user?.passwordHash ?? null, input.password);
      if (!user || !isCorrect) throw unauthenticated('Wrong email or password.');
      return signIn(ctx, user);
    },
  }),
  logOut: t.withAuth({ authenticated: 'log out' }).boolean({
    description: 'Revokes every token of the viewer issued until now (all devices). Returns true.',
    resolve: async (_root, _args, ctx) => {
      const viewer = ctx.viewer;
      await ctx.db.transaction((tx) => advanceTokenVersion(tx, viewer.id));
      changed(ctx, CHANGES.loggedOut(viewer.id));
      // After commit: every instance closes the subscriptions opened with the tokens revoked here
      // (the viewer's version was checked current before execution, so it is now one more).
      ctx.pubsub.publish('tokensRevoked', { userId: viewer.id, tokenVersion: viewer.tokenVersion + 1 });
      actAs(ctx, null);
      return true;
    },
  }),
}));
