/**
 * Credentials for a server that runs in another process (tests/support/server-process.ts), got
 * the way a person and a script get them: sign up over HTTP (the account owns a new workspace),
 * then make an API key with that session.
 */
import type { ApiKeyRole } from '~/server/auth/roles';

let counter = 0;

export interface HttpAccount {
  /** The `cookie` header a browser would send after signing up (`better-auth.session_token=...`). */
  cookie: string;
  email: string;
  password: string;
}

/**
 * Signs up with `POST /api/auth/sign-up/email`. It sends `origin: url`: Node's fetch sends
 * `sec-fetch-mode`, which makes Better Auth require an Origin, and the app's own one passes.
 */
export async function signUpOverHttp(url: string, opts: { name?: string; email?: string; password?: string } = {}): Promise<HttpAccount> {
  const n = ++counter;
  const name = opts.name ?? `Script person ${n}`;
  const email = opts.email ?? `script${n}.${process.pid}.${Date.now()}@example.com`;
  const password = opts.password ?? 'correct horse battery';
  const response = await fetch(`${url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ name, email, password }),
  });
  if (!response.ok) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((value) => value.split(';', 1)[0]!)
    .join('; ');
  if (!cookie.includes('better-auth.session_token=')) throw new Error(`sign-up set no session cookie: ${JSON.stringify(response.headers.getSetCookie())}`);
  return { cookie, email, password };
}

/** An API key for the signed-in account's workspace, made with `apiKeys.create` over HTTP. */
export async function apiKeyOverHttp(url: string, cookie: string, role: ApiKeyRole = 'admin'): Promise<string> {
  const response = await fetch(`${url}/api/trpc/apiKeys.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url, cookie },
    body: JSON.stringify({ name: `test ${role}`, role }),
  });
  const body = (await response.json()) as { result?: { data?: { key?: string } }; error?: unknown };
  const key = body.result?.data?.key;
  if (!response.ok || !key) throw new Error(`apiKeys.create failed: ${response.status} ${JSON.stringify(body)}`);
  return key;
}
