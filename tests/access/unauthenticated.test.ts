/**
 * Without valid credentials nothing is served: every procedure over HTTP (queries by GET,
 * mutations by POST, subscriptions by GET as SSE) answers 401 UNAUTHORIZED in tRPC's error shape;
 * an invalid or revoked key gets a 401 with a sentence saying why; a WebSocket upgrade without
 * credentials is refused with 401 before it is upgraded; a socket that brings a bad token in its
 * connectionParams gets UNAUTHORIZED and is closed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { revokeApiKey } from '~/server/api-keys/api-keys';
import { createKey, createAccount } from '../support/accounts';
import { waitFor } from '../support/iterate';
import { cleanupList, keyId, openRawSocket, procedures, serverWorld, trpcHttp, wsUrl, type TestRuntime } from './support';
import type { AppServer } from '~/server/http/app-server';

const cleanups = cleanupList();
let runtime: TestRuntime;
let server: AppServer;
let validKey: string;
let revokedKey: string;

// One server for the file: every test here only reads, and refusals change nothing.
beforeAll(async () => {
  ({ runtime, server } = await serverWorld(cleanups));
  validKey = await createKey(runtime, runtime.workspaceId, 'admin');
  revokedKey = await createKey(runtime, runtime.workspaceId, 'admin');
  await revokeApiKey(runtime, { workspaceId: runtime.workspaceId, actor: 'test', id: await keyId(runtime, revokedKey) });
});
afterAll(() => cleanups.run());

const all = procedures();

describe('HTTP without credentials', () => {
  test('the router has procedures of all three kinds (the table below is not empty)', () => {
    expect(all.filter((p) => p.type === 'query').length).toBeGreaterThan(5);
    expect(all.filter((p) => p.type === 'mutation').length).toBeGreaterThan(5);
    expect(all.filter((p) => p.type === 'subscription').map((p) => p.path).sort()).toEqual(
      ['activityFeed', 'importProgress', 'jobStatus', 'leads', 'ops.live', 'playlistUpdates', 'trackExplorer', 'trackStatus'],
    );
  });

  test.each(all.map((p) => [p.path, p.type] as const))('%s (%s) answers 401 UNAUTHORIZED', async (path, type) => {
    const response = await trpcHttp(server, path, type);
    expect(response.status).toBe(401);
    expect(response.contentType).toMatch(/application\/json/);
    expect(response.body.error?.data?.code).toBe('UNAUTHORIZED');
    expect(response.body.error?.message).toMatch(/sign in/i);
    expect(response.body.result).toBeUndefined();
  });

  test('a garbage session cookie is no credential: 401', async () => {
    const response = await trpcHttp(server, 'workspace.current', 'query', { headers: { cookie: 'better-auth.session_token=forged.value' } });
    expect(response.status).toBe(401);
    expect(response.body.error?.data?.code).toBe('UNAUTHORIZED');
  });

  test('control: the same requests with a valid key are served', async () => {
    const headers = { authorization: `Bearer ${validKey}` };
    const query = await trpcHttp(server, 'workspace.current', 'query', { headers });
    expect(query.status).toBe(200);
    expect(JSON.stringify(query.body.result)).toContain(runtime.workspaceId);
    const mutation = await trpcHttp(server, 'activity.note', 'mutation', { headers, input: { message: 'hello' } });
    expect(mutation.status).toBe(200);
    const subscription = await trpcHttp(server, 'activityFeed', 'subscription', { headers });
    expect(subscription.status).toBe(200);
    expect(subscription.contentType).toMatch(/text\/event-stream/);
  });
});

describe('HTTP with an invalid or revoked key', () => {
  const badKeys = [
    ['a token that is not a Linernotes key', () => 'sk_live_not_ours', /not a Linernotes API key/],
    ['a well-formed key that never existed', () => 'ln_thisKeyNeverExistedAnywhere0123456789', /not valid: it was revoked, has expired, or never existed/],
    ['a revoked key', () => revokedKey, /not valid: it was revoked, has expired, or never existed/],
  ] as const;

  describe.each(badKeys)('%s', (_name, key, sentence) => {
    test.each([
      ['workspace.current', 'query'],
      ['activity.note', 'mutation'],
      ['activityFeed', 'subscription'],
    ] as const)('%s (%s) answers 401 with a sentence saying why', async (path, type) => {
      const response = await trpcHttp(server, path, type, { headers: { authorization: `Bearer ${key()}` }, input: type === 'mutation' ? { message: 'x' } : undefined });
      expect(response.status).toBe(401);
      expect(response.body.error?.data?.code).toBe('UNAUTHORIZED');
      expect(response.body.error?.message).toMatch(sentence);
    });
  });
});

describe('WebSocket', () => {
  test('an upgrade without credentials is refused with 401 and never upgraded', async () => {
    const outcome = await openRawSocket(wsUrl(server));
    expect(outcome.refused).toBe(true);
    if (!outcome.refused) return outcome.socket.close();
    expect(outcome.status).toBe(401);
    expect(outcome.body).toMatch(/Sign in first/);
  });

  test('an upgrade carrying an invalid key (Authorization header) is refused with 401 and a sentence', async () => {
    const outcome = await openRawSocket(wsUrl(server), { authorization: 'Bearer ln_thisKeyNeverExistedAnywhere0123456789' });
    expect(outcome.refused).toBe(true);
    if (!outcome.refused) return outcome.socket.close();
    expect(outcome.status).toBe(401);
    expect(outcome.body).toMatch(/not valid/);
  });

  test('an upgrade carrying a garbage session cookie is refused with 401', async () => {
    const outcome = await openRawSocket(wsUrl(server), { cookie: 'better-auth.session_token=forged.value' });
    expect(outcome.refused).toBe(true);
    if (!outcome.refused) return outcome.socket.close();
    expect(outcome.status).toBe(401);
  });

  test.each([
    ['an unknown token', () => 'ln_thisKeyNeverExistedAnywhere0123456789'],
    ['a revoked key', () => revokedKey],
    ['a token that is not a key', () => 'hello'],
  ])('connectionParams with %s: UNAUTHORIZED, then the socket is closed, nothing served', async (_name, token) => {
    const outcome = await openRawSocket(wsUrl(server, '?connectionParams=1'));
    expect(outcome.refused).toBe(false);
    if (outcome.refused) return;
    const { socket } = outcome;
    socket.send({ method: 'connectionParams', data: { token: token() } });
    // A request sent right behind the bad credentials must not be answered with data.
    socket.query(1, 'workspace.current');
    socket.subscribe(2, 'activityFeed');
    await waitFor(() => socket.errorFor(null), { what: 'the UNAUTHORIZED error' });
    expect(socket.errorFor(null)?.data?.code).toBe('UNAUTHORIZED');
    expect(socket.errorFor(null)?.message).toMatch(/not valid|not a Linernotes API key/);
    const code = await Promise.race([socket.closed, new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 3000))]);
    expect(code).not.toBe('open');
    expect(socket.frames.filter((frame) => frame.result)).toEqual([]);
  });

  test('control: connectionParams with a valid key is served', async () => {
    const outcome = await openRawSocket(wsUrl(server, '?connectionParams=1'));
    if (outcome.refused) throw new Error(`refused with ${outcome.status}`);
    const { socket } = outcome;
    socket.send({ method: 'connectionParams', data: { token: validKey } });
    socket.query(1, 'workspace.current');
    await waitFor(() => socket.framesFor(1).length > 0, { what: 'the answer' });
    expect(socket.framesFor(1)[0]!.result?.type).toBe('data');
    socket.close();
  });

  test('control: an upgrade with a valid session cookie is served', async () => {
    const account = await createAccount(runtime);
    const outcome = await openRawSocket(wsUrl(server), { cookie: account.cookie });
    if (outcome.refused) throw new Error(`refused with ${outcome.status}`);
    outcome.socket.query(1, 'workspace.current');
    await waitFor(() => outcome.socket.framesFor(1).length > 0, { what: 'the answer' });
    expect(JSON.stringify(outcome.socket.framesFor(1)[0]!.result)).toContain(account.workspaceId);
    outcome.socket.close();
  });
});
