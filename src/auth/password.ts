// Password hashing: argon2id with the library's defaults (OWASP's minimum: 19 MiB, 2 passes).
// A password is never stored, returned or logged in clear.
import { hash, verify } from '@node-rs/argon2';

export const hashPassword = (password: string): Promise<string> => hash(password);

/**
 * A hash of nothing anyone knows, checked when the email is unknown: logIn then takes as long
 * as with a wrong password, so its timing does not tell which emails have accounts.
 */
const decoy = hash('decoy password that matches no account');

/** True when `password` matches `passwordHash`; with no hash, spends the same time and says no. */
export async function isPasswordCorrect(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
