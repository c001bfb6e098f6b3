/**
 * API keys for scripts: a key acts for one workspace with its role, over HTTP, SSE and WebSocket
 * (the stock script client); a revoked key is refused on new calls; the key is shown once, when
 * apiKeys.create makes it, and never listed; Better Auth's own key-making endpoint is switched off,
 * and its other key endpoints follow the workspace roles.
 */
import { TRPCClientError } from '@trpc/client';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { apiKeys } from '~/server/db/schema';
import { createKey, createAccount } from '../support/accounts';
import { waitFor } from '../support/iterate';
import { clientFor } from '../support/server';
import { accountIn, cleanupList, cookieClient, demoId, keyId, openRawSocket, recorder, serverWorld, trpcHttp, waitForSnapshot, wsUrl } from './support';
import { eventsOf } from '../support/iterate';

const cleanups = cleanupList();
afterEach(() => cleanups.run());

type Message = Parameters<typeof eventsOf>[0];
const notesIn = (rec: ReturnType<typeof recorder>) =>
  rec.received.flatMap((r) => eventsOf(r.data as Message)).map((event) => (event.data as { message?: string }).message);

async function codeOf(work: Promise<unknown>): Promise<{ code: string | undefined; httpStatus: number | undefined; message: string } | 'ok'> {
  try {
    await work;
    return 'ok';
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const data = error.data as { code?: string; httpStatus?: number } | undefined;
    return { code: data?.code, httpStatus: data?.httpStatus, message: error.message };
  }
}

/** A script client with a key of `role`, already subscribed to the activity feed (its snapshot in). */
async function subscribedScript(role: 'member' | 'viewer', transport: 'ws' | 'sse') {
  const { runtime, server } = await serverWorld(cleanups);
  const key = await createKey(runtime, runtime.workspaceId, role);
  const { client, close } = clientFor(server, key, transport);
  cleanups.add(close);
  const feed = recorder();
  const subscription = client.activityFeed.subscribe(undefined, feed.handlers);
  cleanups.add(() => subscription.unsubscribe());
  await waitForSnapshot(feed);
  return { runtime, server, client, feed };
}

describe.each(['ws', 'sse'] as const)('the script client over %s', (transport) => {
  test('a member key subscribes and mutates within its role', async () => {
    const { client, feed } = await subscribedScript('member', transport);

    const added = await client.playlists.add.mutate({ url: demoId(21), name: 'Added by a script' });
    expect(added.name).toBe('Added by a script');
    await client.activity.note.mutate({ message: 'a note from the member key' });
    await waitFor(() => notesIn(feed).includes('a note from the member key'), { what: 'the note on the feed' });
    expect(feed.error).toBeNull();
    // Within its role only: keys are an admin's business.
    const refused = await codeOf(client.apiKeys.list.query());
    expect(refused).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
  });

  test('a viewer key can subscribe but every mutation is refused with FORBIDDEN', async () => {
    const { runtime, server, client, feed } = await subscribedScript('viewer', transport);

    for (const work of [
      () => client.activity.note.mutate({ message: 'viewer note' }),
      () => client.playlists.add.mutate({ url: demoId(22) }),
      () => client.imports.start.mutate({ csv: `url\n${demoId(23)}\n` }),
      () => client.analytics.refresh.mutate(),
    ]) {
      const outcome = await codeOf(work());
      expect(outcome).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
      expect((outcome as { message: string }).message).toMatch(/needs the member role or higher.*you are a viewer/);
    }
    // The subscription is untouched and still live: an event from someone allowed reaches it.
    const member = clientFor(server, await createKey(runtime, runtime.workspaceId, 'member'), transport);
    cleanups.add(member.close);
    await member.client.activity.note.mutate({ message: 'from a member' });
    await waitFor(() => notesIn(feed).includes('from a member'), { what: 'the member\'s note on the viewer\'s feed' });
    expect(notesIn(feed)).not.toContain('viewer note');
    expect(feed.error).toBeNull();
  });
});

describe('a revoked key', () => {
  test('is refused (401) on every new call: HTTP, SSE, WebSocket upgrade and connectionParams', async () => {
    const { runtime, server } = await serverWorld(cleanups);
    const admin = await accountIn(runtime, runtime.workspaceId, 'admin');
    const adminClient = cookieClient(server, admin.cookie, 'sse');
    const made = await adminClient.client.apiKeys.create.mutate({ name: 'nightly', role: 'member' });
    const headers = { authorization: `Bearer ${made.key}` };
    expect((await trpcHttp(server, 'playlists.list', 'query', { headers })).status).toBe(200);

    await adminClient.client.apiKeys.revoke.mutate({ id: made.id });

    const query = await trpcHttp(server, 'playlists.list', 'query', { headers });
    expect(query.status).toBe(401);
    expect(query.body.error?.data?.code).toBe('UNAUTHORIZED');
    expect(query.body.error?.message).toMatch(/revoked/);
    expect((await trpcHttp(server, 'activity.note', 'mutation', { headers, input: { message: 'after revoke' } })).status).toBe(401);
    expect((await trpcHttp(server, 'activityFeed', 'subscription', { headers })).status).toBe(401);

    const upgrade = await openRawSocket(wsUrl(server), headers);
    expect(upgrade.refused && upgrade.status).toBe(401);
    if (!upgrade.refused) upgrade.socket.close();

    const { client, close } = clientFor(server, made.key, 'sse');
    cleanups.add(close);
    expect(await codeOf(client.workspace.current.query())).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
  });
});

describe('making and listing keys', () => {
  test('apiKeys.create returns the key once; apiKeys.list shows only its start, and the database keeps no plain copy', async () => {
    const { runtime, server } = await serverWorld(cleanups);
    const admin = await accountIn(runtime, runtime.workspaceId, 'admin');
    const { client } = cookieClient(server, admin.cookie, 'sse');
    const made = await client.apiKeys.create.mutate({ name: 'ci', role: 'viewer' });
    expect(made.key).toMatch(/^ln_/);
    expect(made.start).toBeTruthy();
    expect(made.key.startsWith(made.start!)).toBe(true);
    expect(made.start!.length).toBeLessThan(made.key.length / 2);

    const listed = await client.apiKeys.list.query();
    const entry = listed.find((k) => k.id === made.id);
    expect(entry).toMatchObject({ id: made.id, name: 'ci', role: 'viewer', start: made.start });
    expect(JSON.stringify(listed)).not.toContain(made.key);
    expect(Object.keys(entry!)).not.toContain('key');

    const rows = await runtime.db.select().from(apiKeys).where(eq(apiKeys.id, made.id));
    expect(JSON.stringify(rows)).not.toContain(made.key);
    // And the key works, with the role it was made with.
    const { client: script, close } = clientFor(server, made.key, 'sse');
    cleanups.add(close);
    expect((await script.workspace.current.query()).role).toBe('viewer');
  });

  test('Better Auth\'s own /api/auth/api-key/create is switched off, even for an admin (404), and makes nothing', async () => {
    const { runtime, server } = await serverWorld(cleanups);
    const admin = await accountIn(runtime, runtime.workspaceId, 'admin');
    const before = (await runtime.db.select({ id: apiKeys.id }).from(apiKeys)).length;
    const response = await fetch(`${server.url}/api/auth/api-key/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookie, origin: server.url },
      body: JSON.stringify({ name: 'sneaky', organizationId: runtime.workspaceId, metadata: { role: 'admin' } }),
    });
    expect(response.status).toBe(404);
    const body = await response.text();
    expect(body).not.toMatch(/ln_/);
    expect((await runtime.db.select({ id: apiKeys.id }).from(apiKeys)).length).toBe(before);
    const update = await fetch(`${server.url}/api/auth/api-key/update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookie, origin: server.url },
      body: JSON.stringify({ keyId: 'whatever', metadata: { role: 'admin' } }),
    });
    expect(update.status).toBe(404);
  });

  test('Better Auth\'s other key endpoints follow the roles: a viewer or member can neither list nor delete the workspace\'s keys', async () => {
    const { runtime, server } = await serverWorld(cleanups);
    const key = await createKey(runtime, runtime.workspaceId, 'member');
    const id = await keyId(runtime, key);
    for (const role of ['viewer', 'member'] as const) {
      const actor = await accountIn(runtime, runtime.workspaceId, role);
      const list = await fetch(`${server.url}/api/auth/api-key/list?organizationId=${runtime.workspaceId}`, { headers: { cookie: actor.cookie } });
      expect(list.status, `${role} list`).toBe(403);
      const remove = await fetch(`${server.url}/api/auth/api-key/delete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: actor.cookie, origin: server.url },
        body: JSON.stringify({ keyId: id }),
      });
      expect(remove.status, `${role} delete`).toBe(403);
    }
    expect((await trpcHttp(server, 'playlists.list', 'query', { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
  });

  test('a key cannot make another key (keys are made by a signed-in admin)', async () => {
    const { runtime, server } = await serverWorld(cleanups);
    const key = await createKey(runtime, runtime.workspaceId, 'admin');
    const { client, close } = clientFor(server, key, 'sse');
    cleanups.add(close);
    const outcome = await codeOf(client.apiKeys.create.mutate({ name: 'child', role: 'admin' }));
    expect(outcome).toMatchObject({ code: 'FORBIDDEN' });
  });

  test('a key carries at most the admin role: apiKeys.create refuses to make an owner key', async () => {
    const { runtime, server } = await serverWorld(cleanups);
    const owner = await createAccount(runtime);
    const { client } = cookieClient(server, owner.cookie, 'sse');
    const outcome = await codeOf(client.apiKeys.create.mutate({ name: 'too strong', role: 'owner' as 'admin' }));
    expect(outcome).toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('workspaces are apart', () => {
  test.each(['ws', 'sse'] as const)('a key of workspace A cannot read workspace B (%s)', async (transport) => {
    const { runtime, server } = await serverWorld(cleanups);
    const a = await createAccount(runtime, { name: 'Alice' });
    const b = await createAccount(runtime, { name: 'Bob' });
    const ownerB = cookieClient(server, b.cookie, 'sse');
    const bPlaylist = await ownerB.client.playlists.add.mutate({ url: demoId(31), name: 'Bob only' });
    await ownerB.client.activity.note.mutate({ message: 'Bob secret note' });

    const keyA = await createKey(runtime, a.workspaceId, 'admin');
    const { client, close } = clientFor(server, keyA, transport);
    cleanups.add(close);
    expect((await client.workspace.current.query()).workspace.id).toBe(a.workspaceId);
    expect(await codeOf(client.playlists.get.query({ id: bPlaylist.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await client.playlists.list.query()).map((p) => p.id)).not.toContain(bPlaylist.id);
    expect(await codeOf(client.jobs.get.query({ id: bPlaylist.jobId! }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(JSON.stringify(await client.activity.list.query())).not.toContain('Bob secret note');

    // Nor touch B's keys: neither through apiKeys.revoke nor through Better Auth's own endpoint.
    const keyB = await createKey(runtime, b.workspaceId, 'member');
    const keyBId = await keyId(runtime, keyB);
    expect(await codeOf(client.apiKeys.revoke.mutate({ id: keyBId }))).toMatchObject({ code: 'NOT_FOUND' });
    const viaAuth = await fetch(`${server.url}/api/auth/api-key/delete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: a.cookie, origin: server.url },
      body: JSON.stringify({ keyId: keyBId }),
    });
    expect([401, 403, 404]).toContain(viaAuth.status);
    expect((await trpcHttp(server, 'playlists.list', 'query', { headers: { authorization: `Bearer ${keyB}` } })).status).toBe(200);
    expect(JSON.stringify(await client.apiKeys.list.query())).not.toContain(keyBId);

    const feed = recorder();
    const subscription = client.playlistUpdates.subscribe({ playlistId: bPlaylist.id }, feed.handlers);
    cleanups.add(() => subscription.unsubscribe());
    await waitForSnapshot(feed);
    await ownerB.client.playlists.refresh.mutate({ id: bPlaylist.id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(JSON.stringify(feed.received)).not.toContain(bPlaylist.id);
    expect(JSON.stringify(feed.received)).not.toContain('Bob only');
  });
});
