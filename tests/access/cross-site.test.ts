/**
 * Cross-site protection: a page of another site must not use the user's cookie. A WebSocket
 * upgrade or a cookie-authenticated mutation whose Origin is foreign is refused with 403; from the
 * app's own origin (or one in ALLOWED_ORIGINS) it is served; API-key requests are not
 * browser-driven and pass whatever their Origin. Route handlers apply the same rule.
 */
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { authorizeRoute } from '~/server/http/route-access';
import { listActivity } from '~/server/activity/queries';
import type { Runtime } from '~/server/runtime';
import { cookieOf, createAccount, createKey } from '../support/accounts';
import { freshDataDir } from '../support/runtime';
import { startServerProcess } from '../support/server-process';
import { waitFor } from '../support/iterate';
import { cleanupList, openRawSocket, serverWorld, trpcHttp, wsUrl } from './support';

const EVIL = 'https://evil.example';
const PARTNER = 'https://partner.example';

const cleanups = cleanupList();
afterEach(() => cleanups.run());

// Tests on the default settings share one server (each uses accounts of its own); the
// ALLOWED_ORIGINS ones start their own.
const sharedCleanups = cleanupList();
let shared: ReturnType<typeof serverWorld> | null = null;
const defaultWorld = () => (shared ??= serverWorld(sharedCleanups));
afterAll(() => sharedCleanups.run());

async function notesOf(runtime: Runtime, workspaceId: string) {
  const { items } = await listActivity(runtime.db, workspaceId, { limit: 50 });
  return items.map((item) => (item as { message: string }).message);
}

describe('WebSocket upgrades with a session cookie', () => {
  test('from a foreign Origin: 403, not upgraded', async () => {
    const { runtime, server } = await defaultWorld();
    const account = await createAccount(runtime);
    const outcome = await openRawSocket(wsUrl(server), { cookie: account.cookie, origin: EVIL });
    expect(outcome.refused).toBe(true);
    if (!outcome.refused) return outcome.socket.close();
    expect(outcome.status).toBe(403);
    expect(outcome.body).toMatch(/another site/);
  });

  test('from the app\'s own origin: upgraded, and it serves the account', async () => {
    const { runtime, server } = await defaultWorld();
    const account = await createAccount(runtime);
    const outcome = await openRawSocket(wsUrl(server), { cookie: account.cookie, origin: server.url });
    if (outcome.refused) throw new Error(`refused with ${outcome.status}: ${outcome.body}`);
    cleanups.add(() => outcome.socket.close());
    outcome.socket.query(1, 'workspace.current');
    outcome.socket.subscribe(2, 'activityFeed');
    await waitFor(() => outcome.socket.framesFor(1).length > 0 && outcome.socket.framesFor(2).some((f) => f.result?.type === 'data'), { what: 'answers' });
    expect(JSON.stringify(outcome.socket.framesFor(1)[0]!.result)).toContain(account.workspaceId);
  });

  test('a foreign Origin is refused even with an API key in the header (no page may open a socket for another site)', async () => {
    const { runtime, server } = await defaultWorld();
    const key = await createKey(runtime, runtime.workspaceId, 'member');
    const outcome = await openRawSocket(wsUrl(server), { authorization: `Bearer ${key}`, origin: EVIL });
    expect(outcome.refused).toBe(true);
    if (!outcome.refused) return outcome.socket.close();
    expect(outcome.status).toBe(403);
  });

  test('ALLOWED_ORIGINS lets a partner origin upgrade; others stay refused', async () => {
    const { runtime, server } = await serverWorld(cleanups, { ALLOWED_ORIGINS: PARTNER });
    const account = await createAccount(runtime);
    const partner = await openRawSocket(wsUrl(server), { cookie: account.cookie, origin: PARTNER });
    if (partner.refused) throw new Error(`refused with ${partner.status}: ${partner.body}`);
    cleanups.add(() => partner.socket.close());
    partner.socket.query(1, 'workspace.current');
    await waitFor(() => partner.socket.framesFor(1).length > 0, { what: 'the answer' });
    expect(partner.socket.framesFor(1)[0]!.result?.type).toBe('data');
    const evil = await openRawSocket(wsUrl(server), { cookie: account.cookie, origin: EVIL });
    expect(evil.refused && evil.status).toBe(403);
    if (!evil.refused) evil.socket.close();
  });
});

describe('cookie-authenticated tRPC mutations', () => {
  test('from a foreign Origin: 403 FORBIDDEN and nothing written', async () => {
    const { runtime, server } = await defaultWorld();
    const account = await createAccount(runtime);
    const response = await trpcHttp(server, 'activity.note', 'mutation', { headers: { cookie: account.cookie, origin: EVIL }, input: { message: 'written from evil' } });
    expect(response.status).toBe(403);
    expect(response.body.error?.data?.code).toBe('FORBIDDEN');
    expect(response.body.error?.message).toMatch(/another site/);
    expect(await notesOf(runtime, account.workspaceId)).not.toContain('written from evil');
  });

  test('from the app\'s own origin: allowed', async () => {
    const { runtime, server } = await defaultWorld();
    const account = await createAccount(runtime);
    const response = await trpcHttp(server, 'activity.note', 'mutation', { headers: { cookie: account.cookie, origin: server.url }, input: { message: 'written at home' } });
    expect(response.status).toBe(200);
    expect(await notesOf(runtime, account.workspaceId)).toContain('written at home');
  });

  test('with an API key (Bearer) and a foreign Origin: allowed, keys are exempt', async () => {
    const { runtime, server } = await defaultWorld();
    const key = await createKey(runtime, runtime.workspaceId, 'member');
    const response = await trpcHttp(server, 'activity.note', 'mutation', { headers: { authorization: `Bearer ${key}`, origin: EVIL }, input: { message: 'written by a script' } });
    expect(response.status).toBe(200);
    expect(await notesOf(runtime, runtime.workspaceId)).toContain('written by a script');
  });

  test('ALLOWED_ORIGINS (runtime env) makes a partner origin allowed, and only that one', async () => {
    const { runtime, server } = await serverWorld(cleanups, { ALLOWED_ORIGINS: PARTNER });
    const account = await createAccount(runtime);
    const partner = await trpcHttp(server, 'activity.note', 'mutation', { headers: { cookie: account.cookie, origin: PARTNER }, input: { message: 'from the partner' } });
    expect(partner.status).toBe(200);
    const evil = await trpcHttp(server, 'activity.note', 'mutation', { headers: { cookie: account.cookie, origin: EVIL }, input: { message: 'from evil' } });
    expect(evil.status).toBe(403);
    const notes = await notesOf(runtime, account.workspaceId);
    expect(notes).toContain('from the partner');
    expect(notes).not.toContain('from evil');
  });

  test('without ALLOWED_ORIGINS the partner origin is foreign too', async () => {
    const { runtime, server } = await defaultWorld();
    const account = await createAccount(runtime);
    const response = await trpcHttp(server, 'activity.note', 'mutation', { headers: { cookie: account.cookie, origin: PARTNER }, input: { message: 'from the partner' } });
    expect(response.status).toBe(403);
  });
});

describe('cookie-authenticated reads', () => {
  test('an SSE subscription (EventSource with credentials) from a foreign Origin: 403, no stream', async () => {
    const { runtime, server } = await defaultWorld();
    const account = await createAccount(runtime);
    const refused = await trpcHttp(server, 'activityFeed', 'subscription', { headers: { cookie: account.cookie, origin: EVIL } });
    expect(refused.status).toBe(403);
    expect(refused.contentType).not.toMatch(/event-stream/);
    const home = await trpcHttp(server, 'activityFeed', 'subscription', { headers: { cookie: account.cookie, origin: server.url } });
    expect(home.status).toBe(200);
    expect(home.contentType).toMatch(/event-stream/);
  });
});

describe('Better Auth\'s own endpoints (/api/auth)', () => {
  /** Signs up over HTTP and tries a cookie POST from a foreign Origin, then from the app's own. */
  async function crossSiteOnAuth(url: string) {
    const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ name: 'Csrf Target', email: `csrf-${Date.now()}@example.com`, password: 'correct horse battery' }),
    });
    expect(signUp.status, await signUp.clone().text()).toBe(200);
    const cookie = cookieOf(signUp.headers);
    const current = async () => (await fetch(`${url}/api/trpc/workspace.current`, { headers: { cookie } })).json() as Promise<{ result?: { data: { workspace: { id: string } } } }>;
    const workspaceId = (await current()).result!.data.workspace.id;
    const post = (path: string, body: unknown, origin: string) =>
      fetch(`${url}/api/auth${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin }, body: JSON.stringify(body) });
    const invite = { email: `planted-${Date.now()}@example.com`, role: 'admin', organizationId: workspaceId };
    return {
      foreignInvite: (await post('/organization/invite-member', invite, EVIL)).status,
      foreignSignOut: (await post('/sign-out', {}, EVIL)).status,
      stillSignedIn: !!(await current()).result,
      homeInvite: (await post('/organization/invite-member', invite, url)).status,
    };
  }

  // Better Auth switches its own origin/CSRF check off whenever NODE_ENV=test or TEST is truthy,
  // unless the config pins `advanced.disableOriginCheck` (src/server/auth/auth.ts does not). The
  // rule holds whatever the environment, so these assert it in each.
  test.each([
    ['NODE_ENV=production', { NODE_ENV: 'production', TEST: '' }],
    ['NODE_ENV=production and TEST=true', { NODE_ENV: 'production', TEST: 'true' }],
  ])('in a server process with %s, a cookie POST from a foreign Origin is refused: no cross-site invitation, no cross-site sign-out', async (_name, env) => {
    const server = await startServerProcess({ DATA_DIR: await freshDataDir(), WORKER_IN_SERVER: 'false', ...env });
    cleanups.add(() => server.stop());
    expect(await crossSiteOnAuth(server.url)).toEqual({ foreignInvite: 403, foreignSignOut: 403, stillSignedIn: true, homeInvite: 200 });
  });

  // Test runtimes run in-process with NODE_ENV=test (vitest sets it).
  test('whatever NODE_ENV says (here: test), a cookie POST to /api/auth from a foreign Origin is refused', async () => {
    const { server } = await defaultWorld();
    expect(process.env.NODE_ENV).toBe('test');
    expect(await crossSiteOnAuth(server.url)).toEqual({ foreignInvite: 403, foreignSignOut: 403, stillSignedIn: true, homeInvite: 200 });
  });
});

describe('an opaque Origin', () => {
  test('"Origin: null" (a sandboxed frame, a file) with the cookie is foreign: 403 for a mutation and for an upgrade', async () => {
    const { runtime, server } = await defaultWorld();
    const account = await createAccount(runtime);
    const mutation = await trpcHttp(server, 'activity.note', 'mutation', { headers: { cookie: account.cookie, origin: 'null' }, input: { message: 'from nowhere' } });
    expect(mutation.status).toBe(403);
    const upgrade = await openRawSocket(wsUrl(server), { cookie: account.cookie, origin: 'null' });
    expect(upgrade.refused && upgrade.status).toBe(403);
    if (!upgrade.refused) upgrade.socket.close();
  });
});

describe('route handlers (authorizeRoute)', () => {
  test('a POST with the cookie and a foreign Origin: 403; from the app\'s origin: the caller', async () => {
    const { runtime, server } = await defaultWorld();
    const account = await createAccount(runtime);
    const url = `${server.url}/api/activity/notes`;
    const refused = await authorizeRoute(runtime, new Request(url, { method: 'POST', headers: { cookie: account.cookie, origin: EVIL } }), 'member');
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(403);
    expect(((await (refused as Response).json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');

    const allowed = await authorizeRoute(runtime, new Request(url, { method: 'POST', headers: { cookie: account.cookie, origin: new URL(url).origin, host: new URL(url).host } }), 'member');
    expect(allowed).not.toBeInstanceOf(Response);
    expect((allowed as { workspaceId: string }).workspaceId).toBe(account.workspaceId);
  });

  test('a POST with an API key and a foreign Origin is allowed', async () => {
    const { runtime, server } = await defaultWorld();
    const key = await createKey(runtime, runtime.workspaceId, 'member');
    const access = await authorizeRoute(
      runtime,
      new Request(`${server.url}/api/activity/notes`, { method: 'POST', headers: { authorization: `Bearer ${key}`, origin: EVIL } }),
      'member',
    );
    expect(access).not.toBeInstanceOf(Response);
    expect((access as { workspaceId: string }).workspaceId).toBe(runtime.workspaceId);
  });
});
