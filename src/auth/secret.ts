// The key that signs tokens. JWT_SECRET when set (production requires it: config.ts); otherwise
// one generated on first start and kept in DATA_DIR, so tokens survive restarts on a developer's
// machine. Instances that are one service must share JWT_SECRET.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';

export async function loadJwtSecret(config: Config): Promise<Uint8Array> {
  if (config.auth.jwtSecret) return new TextEncoder().encode(config.auth.jwtSecret);
  const file = path.join(config.dataDir, 'jwt-secret');
  await mkdir(config.dataDir, { recursive: true });
  // Written aside, then linked into place: link() fails if the file exists, so two processes
  // starting at once agree on one secret, and nobody ever reads a half-written one.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, randomBytes(48).toString('base64url'), { mode: 0o600 });
  await link(draft, file)
    .catch((error: unknown) => {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    })
    .finally(() => unlink(draft));
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < 32)
    throw new Error(`${file} holds no usable secret: delete it to have a new one generated (every token then stops working)`);
  return new TextEncoder().encode(secret);
}
