/**
 * The explorer is sealed per workspace. Workspaces A and B each have tracks, playlists and tags
 * (every id of A carries AMARK). Everything B receives over a real server (tRPC over WebSocket and
 * SSE with B's API key, the export route over HTTP with B's key and with B's cookie) is searched
 * for AMARK: explore and its count with and without A's ids in the filter, a cursor of A's,
 * trackExplorer fresh and resumed from an event id of A's while A is busy. B's own data must be
 * there, so the search is not over nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET as exportRoute } from '~/app/api/tracks/export/route';
import type { Envelope } from '~/server/events/catalog';
import type { AppServer } from '~/server/http/app-server';
import { forgetRuntime } from '~/server/runtime';
import { cleanupList, recorder, serveRouteHandlersFrom } from '../access/support';
import { createAccount, createKey, type Account } from '../support/accounts';
import { callerFor } from '../support/caller';
import { eventsOf, waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { clientFor, startTestServer } from '../support/server';
import { insertFixture, makeFixture } from './fixture';
import { serveRoutes } from './support';

const AMARK = 'Aardvarkzz';
const BMARK = 'Beeswaxqq';
const transports = ['ws', 'sse'] as const;

const cleanups = cleanupList();
let runtime: TestRuntime;
let server: AppServer;
let routes: Awaited<ReturnType<typeof serveRoutes>>;
let ownerA: Account;
let ownerB: Account;
let keyB: string;
const fixtureA = makeFixture(30, 11, AMARK);
const fixtureB = makeFixture(20, 22, BMARK);

beforeAll(async () => {
  runtime = await createTestRuntime();
  cleanups.add(() => runtime.dispose());
  server = await startTestServer(runtime);
  cleanups.add(() => server.close());
  serveRouteHandlersFrom(runtime);
  cleanups.add(() => forgetRuntime());
  routes = await serveRoutes({ '/api/tracks/export': exportRoute });
  cleanups.add(() => routes.close());
  ownerA = await createAccount(runtime, { name: `${AMARK} Owner` });
  ownerB = await createAccount(runtime, { name: `${BMARK} Owner` });
  keyB = await createKey(runtime, ownerB.workspaceId, 'viewer');
  await insertFixture(runtime, ownerA.workspaceId, fixtureA);
  await insertFixture(runtime, ownerB.workspaceId, fixtureB);
}, 60_000);
afterAll(() => cleanups.run());

const asA = () => callerFor(runtime, undefined, { workspaceId: ownerA.workspaceId });
const asB = () => callerFor(runtime, undefined, { workspaceId: ownerB.workspaceId });

function expectNothingOfA(value: unknown, where: string) {
  const text = JSON.stringify(value);
  expect(text.includes(AMARK), `${where} carries something of A`).toBe(false);
  expect(text.includes(ownerA.workspaceId), `${where} carries A's workspace id`).toBe(false);
}

describe.each(transports)('B over %s', (transport) => {
  test('explore and exploreCount: B\'s rows only, whatever A\'s ids B sends', async () => {
    const { client, close } = clientFor(server, keyB, transport);
    cleanups.add(close);
    const aPage = await asA().tracks.explore({ limit: 5 });
    const answers = {
      all: await client.tracks.explore.query({ limit: 500 }),
      byAPlaylists: await client.tracks.explore.query({ filter: { playlistIds: fixtureA.playlistIds } }),
      byATags: await client.tracks.explore.query({ filter: { tagIds: fixtureA.tagIds } }),
      byATrackIds: await client.tracks.explore.query({ trackIds: fixtureA.tracks.map((t) => t.id) }),
      withACursor: await client.tracks.explore.query({ cursor: aPage.nextCursor, limit: 500 }),
      searchingA: await client.tracks.explore.query({ filter: { q: AMARK.toLowerCase() } }),
      count: await client.tracks.exploreCount.query(),
      countOfAPlaylists: await client.tracks.exploreCount.query({ filter: { playlistIds: fixtureA.playlistIds } }),
    };
    expectNothingOfA(answers, `B's explorer answers over ${transport}`);
    expect(answers.all.rows.map((r) => r.id).sort()).toEqual(fixtureB.tracks.map((t) => t.id).sort());
    expect(JSON.stringify(answers.all)).toContain(BMARK);
    expect(answers.byAPlaylists.rows).toEqual([]);
    expect(answers.byATags.rows).toEqual([]);
    expect(answers.byATrackIds.rows).toEqual([]);
    expect(answers.searchingA.rows).toEqual([]);
    // A's cursor is only a place in a sort order: B pages through B's rows from there.
    expect(answers.withACursor.rows.every((r) => r.id.startsWith(BMARK))).toBe(true);
    expect(answers.count.count).toBe(fixtureB.tracks.length);
    expect(answers.countOfAPlaylists.count).toBe(0);
    // The position is B's own (an id of B's events, or B's empty start).
    const position = answers.all.position!;
    expect(position).toBe(runtime.log.idOf(await runtime.log.positionFor(ownerB.workspaceId)));
  });

  test('trackExplorer, fresh and resumed from A\'s event id: B\'s own changes, nothing of A\'s', async () => {
    const { client, close } = clientFor(server, keyB, transport);
    cleanups.add(close);
    // An event of A's, so A's position names it.
    const aTag = await asA().tags.create({ name: `${AMARK} tag ${transport}`, color: 'red' });
    const aPosition = (await asA().tracks.explore({ limit: 1 })).position!;
    const fresh = recorder();
    const resumedFromA = recorder();
    const subs = [client.trackExplorer.subscribe({}, fresh.handlers), client.trackExplorer.subscribe({ lastEventId: aPosition }, resumedFromA.handlers)];
    cleanups.add(() => subs.forEach((s) => s.unsubscribe()));
    await waitFor(() => [fresh, resumedFromA].every((rec) => rec.received.some((r) => (r.data as { kind: string }).kind === 'snapshot')), { what: 'both snapshots' });
    expect((resumedFromA.received[0]!.data as { kind: string; reason: string }).reason).toBe('other_workspace');

    // A is busy; B makes one change of its own.
    const aTracks = fixtureA.tracks.slice(0, 5).map((t) => t.id);
    await asA().tags.tagTracks({ tagId: aTag.id, trackIds: aTracks });
    await asA().tracks.note({ id: aTracks[0]!, message: `${AMARK} secret note` });
    const bTag = await asB().tags.create({ name: `${BMARK} tag ${transport}`, color: 'sky' });
    await asB().tags.tagTracks({ tagId: bTag.id, trackIds: [fixtureB.tracks[0]!.id] });
    const bTagged = (rec: ReturnType<typeof recorder>) =>
      rec.received.flatMap((r) => eventsOf(r.data as never)).some((e: Envelope) => e.type === 'track_tags_changed' && (e.data as { tagId: string }).tagId === bTag.id);
    await waitFor(() => bTagged(fresh) && bTagged(resumedFromA), { what: 'B\'s own tagging on both streams' });
    await new Promise((resolve) => setTimeout(resolve, 300)); // stragglers, if any were to come
    expect(fresh.error).toBeNull();
    expect(resumedFromA.error).toBeNull();
    expectNothingOfA(fresh.received, `B's fresh trackExplorer over ${transport}`);
    expectNothingOfA(resumedFromA.received, `B's trackExplorer resumed from A's id over ${transport}`);
    expect(JSON.stringify(fresh.received)).toContain(BMARK);
  });
});

describe('the export route over HTTP', () => {
  test('B\'s key and B\'s cookie download B\'s rows only, whatever A\'s ids the filter names', async () => {
    for (const headers of [{ authorization: `Bearer ${keyB}` }, { cookie: ownerB.cookie }] as Record<string, string>[]) {
      const all = await fetch(`${routes.url}/api/tracks/export`, { headers });
      expect(all.status).toBe(200);
      const text = await all.text();
      expect(text).not.toContain(AMARK);
      expect(text).not.toContain(ownerA.workspaceId);
      for (const t of fixtureB.tracks) expect(text).toContain(t.id);
      const filter = encodeURIComponent(JSON.stringify({ playlistIds: fixtureA.playlistIds, tagIds: fixtureA.tagIds }));
      const byA = await fetch(`${routes.url}/api/tracks/export?filter=${filter}`, { headers });
      expect(byA.status).toBe(200);
      const lines = (await byA.text()).trim().split('\r\n');
      expect(lines).toHaveLength(1); // the header alone
    }
    // Control: A's own cookie gets A's rows.
    const own = await fetch(`${routes.url}/api/tracks/export`, { headers: { cookie: ownerA.cookie } });
    expect(await own.text()).toContain(AMARK);
  });
});
