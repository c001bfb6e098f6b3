/**
 * Cross-site protection: which origins a browser may send cookie-authenticated requests from.
 * The app's own origin (BETTER_AUTH_URL when set; otherwise the Host the request was sent to, so
 * http://localhost:3000 and http://127.0.0.1:3000 both work in development) and ALLOWED_ORIGINS.
 * A WebSocket upgrade or a cookie request whose Origin is anything else is refused with 403;
 * requests with no Origin (scripts, curl) and API-key requests are not browser-driven and pass.
 */
import type { Config } from '../config';

export function appOrigins(config: Pick<Config, 'BETTER_AUTH_URL' | 'ALLOWED_ORIGINS'>, headers: Headers | null): string[] {
  const origins = [...config.ALLOWED_ORIGINS];
  const host = headers?.get('host');
  if (config.BETTER_AUTH_URL) origins.push(new URL(config.BETTER_AUTH_URL).origin);
  else if (host) origins.push(`http://${host}`, `https://${host}`);
  return origins;
}

/** True when the request has no Origin, or one of the app's origins. */
export function isOriginAllowed(config: Pick<Config, 'BETTER_AUTH_URL' | 'ALLOWED_ORIGINS'>, headers: Headers): boolean {
  const origin = headers.get('origin');
  if (!origin) return true;
  return appOrigins(config, headers).includes(origin.replace(/\/+$/, ''));
}
