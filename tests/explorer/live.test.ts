/**
 * The live explorer, as the UI runs it: a page from `tracks.explore`, then `trackExplorer` from
 * the page's `position`, then a re-read of the tracks an event names (`trackIds`). Through the
 * real worker and the demo providers: a change to a matching track arrives, and the re-read shows
 * it no longer matches. Each event type the stream carries is made through its real procedure
 * and seen arriving; a saved view only on its owner's stream.
 */
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { createCaller } from '~/server/api/root';
import { createContextFactory } from '~/server/api/trpc';
import { playlistTracks } from '~/server/db/schema';
import type { Envelope, EventType } from '~/server/events/catalog';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { addMember, createAccount, type Account } from '../support/accounts';
import { callerFor, subscribe } from '../support/caller';
import { collect, unwrap, waitFor } from '../support/iterate';
import { createTestRuntime, engines, type TestRuntime } from '../support/runtime';
import { fastEnv, startWorker } from '../enrichment/support';

let runtime: TestRuntime | undefined;
/** Streams to end before the runtime closes, whether the test passed or not. */
let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop().catch(() => {});
  await runtime?.dispose();
  runtime = undefined;
});

const kinds = (messages: unknown[]) => messages.map((m) => unwrap(m).kind);
const ofType = <T extends EventType>(events: readonly Envelope[], type: T) => events.filter((e) => e.type === type) as Envelope<T>[];

describe.each(engines)('trackExplorer on %s', (engine) => {
  test('from a page\'s position: the worker\'s changes to matching tracks arrive, and the re-read shows they stop matching', async () => {
    runtime = await createTestRuntime({ engine, env: fastEnv });
    const rt = runtime;
    const caller = callerFor(rt);
    // Tracks are stored pending when the playlist is added; the worker is not running yet.
    const added = await caller.playlists.add({ url: demoPlaylistId(5) });
    const filter = { statuses: ['pending' as const] };
    const page = await caller.tracks.explore({ filter, limit: 500 });
    expect(page.rows.length).toBe(added.trackCount);
    expect(page.rows.every((row) => row.enrichmentStatus === 'pending' && row.playlists.some((p) => p.id === added.id))).toBe(true);
    const shown = new Set(page.rows.map((row) => row.id));

    const live = await subscribe(rt, (c) => c.trackExplorer({ filter, lastEventId: page.position }));
    stops.push(() => live.stop());
    startWorker(rt);

    // A change to a track the page shows arrives...
    const moved = await waitFor(() => ofType(live.events, 'track_status_changed').find((e) => shown.has(e.data.trackId) && e.data.from === 'pending'), {
      what: 'a shown track leaving pending',
      timeoutMs: 30_000,
    });
    // ...and re-read through the filter, the track no longer matches: it leaves the view.
    const reread = await caller.tracks.explore({ filter, trackIds: [moved.data.trackId] });
    expect(reread.rows).toEqual([]);

    await waitFor(() => ofType(live.events, 'track_enriched').length === shown.size, { what: 'every shown track enriched', timeoutMs: 60_000 });
    const enriched = ofType(live.events, 'track_enriched').map((e) => e.data.trackId);
    expect(new Set(enriched)).toEqual(shown);
    const completed = await caller.tracks.explore({ filter: { statuses: ['completed'] }, trackIds: enriched, limit: 500 });
    expect(completed.rows).toHaveLength(shown.size);
    expect(completed.rows.every((row) => row.isrc && row.enrichedAt)).toBe(true);
    expect((await caller.tracks.explore({ filter, trackIds: enriched })).rows).toEqual([]);
    // Resumed from the page's position: no snapshot, only what happened since, in outbox order.
    expect(kinds(live.messages)).not.toContain('snapshot');
    const seqs = live.events.map((e) => Number(e.id.split(':')[1]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  }, 90_000);

  test('tag, tagging, note, membership and saved-view events arrive; a saved view only on its owner\'s stream', async () => {
    runtime = await createTestRuntime({ engine, env: fastEnv });
    const rt = runtime;
    // Two people of one workspace (a saved view belongs to a person: a real user row).
    const me = await createAccount(rt);
    const colleagueAccount = await createAccount(rt);
    await addMember(rt, me.workspaceId, colleagueAccount.userId, 'member');
    const personIn = (account: Account, signal?: AbortSignal) =>
      createCaller(
        createContextFactory(rt)({
          caller: { kind: 'session', credentialId: `session-${account.userId}`, userId: account.userId, name: account.name, workspace: { id: me.workspaceId, role: 'member' } },
        }),
        { signal },
      );
    const caller = personIn(me);
    const first = await caller.playlists.add({ url: demoPlaylistId(6) });
    const { rows } = await caller.tracks.explore({ filter: { playlistIds: [first.id] }, limit: 3 });
    const trackIds = rows.map((row) => row.id);

    // Fresh (no lastEventId): a snapshot holding only the position, which is the page's.
    const mine = new AbortController();
    const owner = collect(await personIn(me, mine.signal).trackExplorer(), mine);
    stops.push(() => owner.stop());
    await waitFor(() => owner.messages.length > 0, { what: 'the snapshot' });
    const snapshot = unwrap(owner.messages[0]);
    expect(snapshot.kind).toBe('snapshot');
    const { position } = await caller.tracks.explore({ limit: 1 });
    expect(snapshot.snapshot).toEqual({ position });
    expect((owner.messages[0] as unknown as [string])[0]).toBe(position);

    const theirsController = new AbortController();
    const theirs = collect(await personIn(colleagueAccount, theirsController.signal).trackExplorer({ lastEventId: position }), theirsController);
    stops.push(() => theirs.stop());

    const tag = await caller.tags.create({ name: 'Focus', color: 'red' });
    await caller.tags.tagTracks({ tagId: tag.id, trackIds });
    await caller.tracks.note({ id: trackIds[0]!, message: 'Pitch this one' });
    await caller.views.save({ name: 'Mine', query: 'q=love' });
    // A refresh that finds a track back on the playlist (its membership row gone meanwhile) records it added.
    await runtime.db.delete(playlistTracks).where(and(eq(playlistTracks.playlistId, first.id), eq(playlistTracks.trackId, trackIds[1]!)));
    await caller.playlists.refresh({ id: first.id });

    const expected: EventType[] = ['tag_changed', 'track_tags_changed', 'track_noted', 'saved_view_changed', 'playlist_tracks_changed'];
    await waitFor(() => expected.every((type) => owner.events.some((e) => e.type === type)), { what: 'every event type on the owner\'s stream' });
    expect(ofType(owner.events, 'tag_changed')[0]!.data).toMatchObject({ tagId: tag.id, change: 'created' });
    expect(ofType(owner.events, 'track_tags_changed')[0]!.data).toMatchObject({ tagId: tag.id, action: 'tagged', trackIds: expect.arrayContaining(trackIds) });
    expect(ofType(owner.events, 'track_noted')[0]!.data).toMatchObject({ trackId: trackIds[0], message: 'Pitch this one' });
    expect(ofType(owner.events, 'saved_view_changed')[0]!.data).toMatchObject({ name: 'Mine', userId: me.userId, removed: false });
    expect(ofType(owner.events, 'playlist_tracks_changed').map((e) => e.data)).toContainEqual(expect.objectContaining({ playlistId: first.id, added: [trackIds[1]], dropped: [] }));
    // The re-read shows the tag.
    const tagged = await caller.tracks.explore({ trackIds });
    expect(tagged.rows.every((row) => row.tags.some((t) => t.id === tag.id && t.name === 'Focus' && t.color === 'red'))).toBe(true);

    // The colleague's stream has every one of them but the view.
    await waitFor(() => theirs.events.some((e) => e.type === 'playlist_tracks_changed' && (e.data as { playlistId: string }).playlistId === first.id), {
      what: 'the colleague\'s stream to catch up',
    });
    expect([...new Set(theirs.events.map((e) => e.type))].sort()).toEqual(expected.filter((type) => type !== 'saved_view_changed').sort());
  }, 60_000);

  test('bad input is a BAD_REQUEST', async () => {
    runtime = await createTestRuntime({ engine });
    const caller = callerFor(runtime);
    for (const input of [{ filter: { bogus: true } }, { lastEventId: 'not an id' }, { filter: { statuses: ['done'] } }]) {
      const error = await caller.trackExplorer(input as never).then(
        () => null,
        (e: unknown) => e as { code?: string },
      );
      expect(error?.code).toBe('BAD_REQUEST');
    }
  });
});
