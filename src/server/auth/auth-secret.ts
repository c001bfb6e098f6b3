/**
 * The secret Better Auth signs cookies with. Production must set BETTER_AUTH_SECRET; in
 * development one is generated on first start and kept in DATA_DIR/auth-secret, so sessions
 * survive restarts without any setup.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';

export function resolveAuthSecret(config: Config, production = process.env.NODE_ENV === 'production'): string {
  if (config.BETTER_AUTH_SECRET) return config.BETTER_AUTH_SECRET;
  if (production) {
    throw new Error('BETTER_AUTH_SECRET is required in production: set it to a random string of at least 32 characters (for example `openssl rand -base64 32`).');
  }
  const file = path.join(path.resolve(config.DATA_DIR), 'auth-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    // 'wx': when two processes start together, the second one reads the first one's secret.
    try {
      fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      return fs.readFileSync(file, 'utf8').trim();
    }
  }
}
