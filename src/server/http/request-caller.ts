/**
 * The caller of one HTTP request or WebSocket connection, resolved once (memoized on the request)
 * and shared by the gate in the app server and the tRPC context made for it.
 */
import type { IncomingMessage } from 'node:http';
import { CredentialError, headersOf, resolveCaller, type Caller } from '../auth/caller';
import type { Runtime } from '../runtime';

export interface Resolution {
  caller: Caller | null;
  /** A sentence saying why presented credentials were refused; null when none were presented. */
  problem: string | null;
  /** True when the caller came from the session cookie (so cross-site rules apply). */
  viaCookie: boolean;
}

const resolutions = new WeakMap<IncomingMessage, Promise<Resolution>>();

export function callerOfRequest(runtime: Runtime, req: IncomingMessage): Promise<Resolution> {
  let resolution = resolutions.get(req);
  if (!resolution) {
    resolution = resolveCredentials(runtime, headersOf(req.headers), null);
    resolutions.set(req, resolution);
  }
  return resolution;
}

/** Resolves from headers (cookie or Authorization) or, when given, from a token (WebSocket connectionParams). */
export async function resolveCredentials(runtime: Runtime, headers: Headers, token: string | null): Promise<Resolution> {
  try {
    const caller = await resolveCaller(runtime.auth, runtime.db, { headers, token });
    return { caller, problem: null, viaCookie: caller?.kind === 'session' };
  } catch (error) {
    if (error instanceof CredentialError) return { caller: null, problem: error.message, viaCookie: false };
    throw error;
  }
}
