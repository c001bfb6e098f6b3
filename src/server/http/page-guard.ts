/**
 * Pages are for signed-in people: a signed-out request for a page is sent to sign-in (or, on a
 * database with no account yet, to "create your account"), and comes back where it was going.
 * Static assets, API routes and the sign-in pages themselves pass.
 */
import type http from 'node:http';
import { users } from '../db/schema';
import type { Runtime } from '../runtime';
import { callerOfRequest } from './request-caller';

const openPages = ['/sign-in', '/sign-up', '/invite/'];

/** True when it answered (a redirect); false leaves the request to Next. */
export async function guardPage(runtime: Runtime, req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path.startsWith('/_next/') || path.startsWith('/api/') || /\.[a-z0-9]+$/i.test(path)) return false;
  if (openPages.some((page) => path === page || (page.endsWith('/') && path.startsWith(page)))) return false;
  const { caller } = await callerOfRequest(runtime, req);
  if (caller) return false;
  const [anyone] = await runtime.db.select({ id: users.id }).from(users).limit(1);
  const location = anyone ? `/sign-in?next=${encodeURIComponent(req.url ?? '/')}` : '/sign-up';
  res.writeHead(302, { location, 'cache-control': 'no-store' }).end();
  return true;
}
