/**
 * Revocation reaches open streams: when a session ends, a member is removed, a role is lowered
 * or an API key is revoked, every open WebSocket and SSE subscription of that caller ends with a
 * typed error (UNAUTHORIZED for a session or key that no longer holds, FORBIDDEN for a
 * membership that no longer holds) within 5 s, and the WebSocket serves no further call.
 * Test runtimes re-check open grants every 500 ms (ACCESS_RECHECK_MS in tests/support/runtime.ts).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { createKey, createAccount, cookieOf } from '../support/accounts';
import { waitFor } from '../support/iterate';
import { clientFor } from '../support/server';
import {
  accountIn,
  cleanupList,
  cookieClient,
  keyId,
  openRawSocket,
  recorder,
  serverWorld,
  waitForSnapshot,
  wsUrl,
  type RawSocket,
} from './support';

const LIMIT_MS = 5_000;

const cleanups = cleanupList();
afterEach(() => cleanups.run());

type Credentials = { cookie: string } | { key: string };

/**
 * Three open subscriptions of one caller: the stock client over WebSocket, the stock client over
 * SSE, and a raw socket (to try another call on that very socket afterwards).
 */
async function openStreams(server: { url: string }, credentials: Credentials) {
  const ws = 'cookie' in credentials ? cookieClient(server, credentials.cookie, 'ws') : clientFor(server, credentials.key, 'ws');
  const sse = 'cookie' in credentials ? cookieClient(server, credentials.cookie, 'sse') : clientFor(server, credentials.key, 'sse');
  cleanups.add(ws.close);
  cleanups.add(sse.close);
  const overWs = recorder();
  const overSse = recorder();
  const a = ws.client.activityFeed.subscribe(undefined, overWs.handlers);
  const b = sse.client.playlistUpdates.subscribe(undefined, overSse.handlers);
  cleanups.add(() => a.unsubscribe());
  cleanups.add(() => b.unsubscribe());

  let raw: RawSocket;
  if ('cookie' in credentials) {
    const outcome = await openRawSocket(wsUrl(server), { cookie: credentials.cookie, origin: server.url });
    if (outcome.refused) throw new Error(`refused with ${outcome.status}`);
    raw = outcome.socket;
  } else {
    const outcome = await openRawSocket(wsUrl(server, '?connectionParams=1'));
    if (outcome.refused) throw new Error(`refused with ${outcome.status}`);
    raw = outcome.socket;
    raw.send({ method: 'connectionParams', data: { token: credentials.key } });
  }
  cleanups.add(() => raw.close());
  raw.subscribe(1, 'trackStatus');

  await waitForSnapshot(overWs, 'the WebSocket snapshot');
  await waitForSnapshot(overSse, 'the SSE snapshot');
  await waitFor(() => raw.framesFor(1).some((frame) => frame.result?.type === 'data'), { what: 'the raw socket snapshot' });
  // The raw socket serves calls before the revocation (so "serves no further call" can fail).
  raw.query(2, 'workspace.current');
  await waitFor(() => raw.framesFor(2).length > 0, { what: 'a query on the raw socket' });
  expect(raw.framesFor(2)[0]!.result?.type).toBe('data');
  return { overWs, overSse, raw };
}

/** Runs `revoke` and checks that all three subscriptions end with `code` within the limit. */
async function expectEndedBy(streams: Awaited<ReturnType<typeof openStreams>>, code: 'UNAUTHORIZED' | 'FORBIDDEN', revoke: () => Promise<unknown>) {
  const { overWs, overSse, raw } = streams;
  const started = Date.now();
  await revoke();
  let rawErrorAt = 0;
  await waitFor(
    () => {
      if (!rawErrorAt && raw.errorFor(1)) rawErrorAt = Date.now();
      return overWs.error && overSse.error && rawErrorAt;
    },
    { timeoutMs: LIMIT_MS + 1_000, what: `all three subscriptions to end with ${code}` },
  );
  expect(overWs.error?.data?.code, overWs.error?.message).toBe(code);
  expect(overSse.error?.data?.code, overSse.error?.message).toBe(code);
  expect(raw.errorFor(1)?.data?.code).toBe(code);
  expect(overWs.errorAt! - started).toBeLessThan(LIMIT_MS);
  expect(overSse.errorAt! - started).toBeLessThan(LIMIT_MS);
  expect(rawErrorAt - started).toBeLessThan(LIMIT_MS);

  // The same socket serves nothing more: the next call is refused, or the socket is already closed.
  if (raw.closeCode === null) raw.query(3, 'workspace.current');
  await waitFor(() => raw.closeCode !== null || raw.framesFor(3).length > 0, { what: 'the socket to refuse or close' });
  expect(raw.framesFor(3).filter((frame) => frame.result)).toEqual([]);
  if (raw.framesFor(3).length > 0) expect(raw.errorFor(3)?.data?.code).toBe(code);
  await Promise.race([raw.closed, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  expect(raw.closeCode, 'the revoked socket is closed').not.toBeNull();
  return Date.now() - started;
}

async function authPost(server: { url: string }, cookie: string, path: string, body: unknown) {
  const response = await fetch(`${server.url}/api/auth${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: server.url },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return response;
}

describe('a session that ends', () => {
  test('signed out (POST /api/auth/sign-out): its WebSocket and SSE subscriptions end with UNAUTHORIZED', async () => {
    const { runtime, server } = await serverWorld(cleanups);
    const account = await createAccount(runtime);
    const streams = await openStreams(server, { cookie: account.cookie });
    await expectEndedBy(streams, 'UNAUTHORIZED', () => authPost(server, account.cookie, '/sign-out', {}));
  });

  test('revoked from another device (revokeSession): UNAUTHORIZED', async () => {
    const { runtime, server } = await serverWorld(cleanups);
    const account = await createAccount(runtime);
    const streams = await openStreams(server, { cookie: account.cookie });
    const found = await runtime.auth.api.getSession({ headers: new Headers({ cookie: account.cookie }) });
    const other = await runtime.auth.api.signInEmail({ body: { email: account.email, password: account.password }, returnHeaders: true });
    const otherCookie = cookieOf(other.headers);
    await expectEndedBy(streams, 'UNAUTHORIZED', () =>
      runtime.auth.api.revokeSession({ body: { token: found!.session.token }, headers: new Headers({ cookie: otherCookie }) }),
    );
    // The other device's session is untouched.
    expect(await runtime.auth.api.getSession({ headers: new Headers({ cookie: otherCookie }) })).not.toBeNull();
  });
});

describe('a membership that changes', () => {
  test('the member is removed from the workspace: FORBIDDEN', async () => {
    const { runtime, server } = await serverWorld(cleanups);
    const owner = await createAccount(runtime, { name: 'Owner' });
    const admin = await accountIn(runtime, owner.workspaceId, 'admin', 'Removed admin');
    const streams = await openStreams(server, { cookie: admin.cookie });
    await expectEndedBy(streams, 'FORBIDDEN', () =>
      authPost(server, owner.cookie, '/organization/remove-member', { memberIdOrEmail: admin.memberId, organizationId: owner.workspaceId }),
    );
    expect(streams.overWs.error?.message).toMatch(/no longer a member/);
  });

  test('the role is lowered (admin -> viewer): FORBIDDEN', async () => {
    const { runtime, server } = await serverWorld(cleanups);
    const owner = await createAccount(runtime, { name: 'Owner' });
    const admin = await accountIn(runtime, owner.workspaceId, 'admin', 'Demoted admin');
    const streams = await openStreams(server, { cookie: admin.cookie });
    await expectEndedBy(streams, 'FORBIDDEN', () =>
      authPost(server, owner.cookie, '/organization/update-member-role', { memberId: admin.memberId, role: 'viewer', organizationId: owner.workspaceId }),
    );
    expect(streams.overSse.error?.message).toMatch(/now viewer/);
  });

  test('control: a role raised (viewer -> member) ends nothing', async () => {
    const { runtime, server } = await serverWorld(cleanups);
    const owner = await createAccount(runtime, { name: 'Owner' });
    const viewer = await accountIn(runtime, owner.workspaceId, 'viewer', 'Promoted viewer');
    const { overWs, overSse, raw } = await openStreams(server, { cookie: viewer.cookie });
    await authPost(server, owner.cookie, '/organization/update-member-role', { memberId: viewer.memberId, role: 'member', organizationId: owner.workspaceId });
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // three re-checks
    expect(overWs.error).toBeNull();
    expect(overSse.error).toBeNull();
    expect(raw.errorFor(1)).toBeUndefined();
    expect(raw.closeCode).toBeNull();
  });
});

describe('a workspace that is deleted', () => {
  test('by its owner: a member\'s streams end with FORBIDDEN, a key\'s with UNAUTHORIZED', async () => {
    const { runtime, server } = await serverWorld(cleanups);
    const owner = await createAccount(runtime, { name: 'Owner' });
    const member = await accountIn(runtime, owner.workspaceId, 'member', 'Member of a doomed workspace');
    const key = await createKey(runtime, owner.workspaceId, 'member');
    const memberStreams = await openStreams(server, { cookie: member.cookie });
    const keyStreams = await openStreams(server, { key });
    let deletion: Promise<unknown> | null = null;
    const deleteOnce = () => (deletion ??= authPost(server, owner.cookie, '/organization/delete', { organizationId: owner.workspaceId }));
    await Promise.all([expectEndedBy(memberStreams, 'FORBIDDEN', deleteOnce), expectEndedBy(keyStreams, 'UNAUTHORIZED', deleteOnce)]);
  });
});

describe('an API key', () => {
  test('revoked with apiKeys.revoke: its WebSocket (connectionParams) and SSE subscriptions end with UNAUTHORIZED', async () => {
    const { runtime, server } = await serverWorld(cleanups);
    const admin = await createAccount(runtime, { name: 'Admin' });
    const key = await createKey(runtime, admin.workspaceId, 'member');
    const id = await keyId(runtime, key);
    const streams = await openStreams(server, { key });
    const { client } = cookieClient(server, admin.cookie, 'sse');
    await expectEndedBy(streams, 'UNAUTHORIZED', () => client.apiKeys.revoke.mutate({ id }));
    expect(streams.overWs.error?.message).toMatch(/API key was revoked/);
  });
});
