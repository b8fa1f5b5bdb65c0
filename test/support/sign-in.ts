// signIn(app, user): a real session from the logIn mutation, as a client gets one. Pass the
// session as app.query's third argument: it carries the Authorization header.
import { GIVEN_PASSWORD } from './given.js';
import type { TestApp } from './test-app.js';

export type Session = { token: string; headers: Record<string, string> };

export const bearer = (token: string): Session => ({ token, headers: { authorization: `Bearer ${token}` } });

export async function signIn(app: TestApp, user: { email: string }, password = GIVEN_PASSWORD): Promise<Session> {
  const res = await app.query(`mutation($input: LogInInput!) { logIn(input: $input) { token } }`, {
    input: { email: user.email, password },
  });
  if (!res.data?.logIn) throw new Error(`expected logIn to succeed for ${user.email}, got ${JSON.stringify(res.body)}`);
  return bearer(res.data.logIn.token);
}

export type ErrorSummary = { message: string; code: string; details?: { field: string; message: string }[]; [key: string]: any };

/** The one error of a response: its message with its extensions (code, details…), for toMatchObject. */
export function errorOf(res: { errors?: { message: string; extensions: Record<string, any> }[] }): ErrorSummary {
  if (res.errors?.length !== 1) throw new Error(`expected exactly one error, got ${JSON.stringify(res.errors)}`);
  return { message: res.errors[0]!.message, ...res.errors[0]!.extensions } as ErrorSummary;
}
