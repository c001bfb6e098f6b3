/**
 * Credits become songwriter records: through a real enrichment run (the worker, the demo
 * providers, the hook in the last phase's batch) every credited name lands on one record, an MLC
 * "LAST, FIRST" with an IPI on the same record as the MusicBrainz name; and through the sync
 * directly, the identity rules: same IPI under other spellings is one record, a namesake with
 * another IPI is not, a re-sync rebuilds a track's credits, two transactions creating the same
 * writer at once end with one record.
 */
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { songwriterAliases, songwriterCredits, songwriters, tracks } from '~/server/db/schema';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { normalizeIpi, normalizeName } from '~/server/songwriters/normalize-name';
import { creditsOf, syncTrackCredits, syncWorkspaceCredits } from '~/server/songwriters/sync-credits';
import { createWorkspace } from '../support/accounts';
import { callerFor } from '../support/caller';
import { waitFor } from '../support/iterate';
import { engines } from '../support/runtime';
import { jobTransitions, live, startWorker, testRuntimes } from '../enrichment/support';
import { credited, identityState, ownerOf, seedCreditedTracks, syncCredits } from './identity-support';

const runtimes = testRuntimes();
afterEach(() => runtimes.dispose());

describe.each(engines)('songwriter identity on %s', (engine) => {
  test('a real enrichment run turns every credited name into one record; MLC "LAST, FIRST" with an IPI joins the MusicBrainz name', { timeout: 90_000 }, async () => {
    const rt = await runtimes.on(engine);
    const caller = callerFor(rt);
    const jobs = await live(rt, (c) => c.jobStatus());
    startWorker(rt);
    const added = await caller.playlists.add({ url: demoPlaylistId(64) });
    await waitFor(() => jobTransitions(jobs.events, added.jobId!).includes('running->completed'), { what: 'job completed', timeoutMs: 60_000 });
    await jobs.stop();

    const stored = (await caller.tracks.list({ playlistId: added.id })).filter((t) => t.enrichmentStatus === 'completed');
    expect(stored.length).toBe(added.trackCount);
    const credits = await rt.db.select().from(songwriterCredits).where(eq(songwriterCredits.workspaceId, rt.workspaceId));
    const aliases = await rt.db.select().from(songwriterAliases).where(eq(songwriterAliases.workspaceId, rt.workspaceId));
    const ownerOfKey = new Map(aliases.map((a) => [`${a.kind}:${a.key}`, a.songwriterId]));

    // Each track's credits are exactly its names (MLC and MusicBrainz, one per person), each on the record of its IPI or name.
    let upperCased = 0;
    for (const track of stored) {
      const expected = creditsOf(track);
      const mine = credits.filter((c) => c.trackId === track.id);
      expect(mine.map((c) => c.nameKey).sort()).toEqual(expected.map((c) => c.nameKey).sort());
      for (const credit of mine) expect(credit.songwriterId).toBe(ownerOfKey.get(credit.ipi ? `ipi:${credit.ipi}` : `name:${credit.nameKey}`));
      for (const writer of track.writers ?? []) {
        if (writer.name !== writer.name.toUpperCase() || !writer.ipi) continue;
        upperCased++;
        // "SATO, LEO" with its IPI, and MusicBrainz's "Leo Sato": one record, holding both.
        const key = normalizeName(writer.name)!.key;
        expect(track.songwriters!.map((name) => normalizeName(name)!.key)).toContain(key);
        expect(ownerOfKey.get(`name:${key}`)).toBe(ownerOfKey.get(`ipi:${normalizeIpi(writer.ipi)}`));
      }
    }
    expect(upperCased).toBeGreaterThan(0);

    // One record per person: the demo gives a name one IPI, so records = distinct names credited.
    const names = new Set(stored.flatMap((t) => creditsOf(t).map((c) => c.nameKey)));
    const listed = await caller.songwriters.list({ limit: 200, sort: 'name' });
    expect(listed.total).toBe(names.size);
    expect(listed.items.map((s) => normalizeName(s.name)!.key).sort()).toEqual([...names].sort());
    for (const item of listed.items) {
      const theirs = credits.filter((c) => c.songwriterId === item.id);
      expect(item.trackCount).toBe(new Set(theirs.map((c) => c.trackId)).size);
      // Display: "First Last", never the registry's capitals.
      expect(item.name).not.toBe(item.name.toUpperCase());
    }
    const withIpi = listed.items.find((s) => s.ipis.length > 0)!;
    const detail = await caller.songwriters.get({ id: withIpi.id });
    expect(detail).toMatchObject({ id: withIpi.id, ipis: withIpi.ipis });
    if ('tracks' in detail) expect(detail.tracks.length).toBe(withIpi.trackCount);

    // Rebuilding every completed track's credits changes nothing.
    const before = await identityState(rt, rt.workspaceId);
    expect(await syncWorkspaceCredits(rt, rt.workspaceId)).toEqual({ tracks: stored.length, songwriters: names.size });
    expect(await identityState(rt, rt.workspaceId)).toEqual(before);
  });

  test('one IPI under several spellings is one record; a name credited first gets the IPI that comes with it later', async () => {
    const rt = await runtimes.on(engine);
    const ws = rt.workspaceId;
    await credited(rt, ws, [{ writers: [['SMITH, JOHN', '00111111111']] }, { writers: [['Johnny Smith', '111111111']] }, { songwriters: ['John Smith'] }]);
    const smith = await ownerOf(rt, ws, 'ipi', '00111111111');
    expect(smith).toBeDefined();
    expect(await ownerOf(rt, ws, 'name', 'john smith')).toBe(smith);
    expect(await ownerOf(rt, ws, 'name', 'johnny smith')).toBe(smith);
    const [record] = await rt.db.select().from(songwriters).where(eq(songwriters.id, smith!));
    expect(record).toMatchObject({ name: 'John Smith', trackCount: 3, mergedIntoId: null });

    // MusicBrainz's name first, The MLC's "LAST, FIRST" with an IPI later: the same record gains the IPI.
    await credited(rt, ws, [{ songwriters: ['Ava Hart'] }]);
    const hart = await ownerOf(rt, ws, 'name', 'ava hart');
    await credited(rt, ws, [{ songwriters: ['Ava Hart'], writers: [['HART, AVA', '00222222222']] }]);
    expect(await ownerOf(rt, ws, 'ipi', '00222222222')).toBe(hart);
    const caller = callerFor(rt);
    const found = await caller.songwriters.list({ q: 'HART, AVA' });
    expect(found.items.map((s) => [s.id, s.name, s.ipis, s.trackCount])).toEqual([[hart, 'Ava Hart', ['00222222222'], 2]]);
    expect((await caller.songwriters.list({ q: '00222222222' })).items.map((s) => s.id)).toEqual([hart]);
  });

  test('a namesake with another IPI is another record; the name stays with the first', async () => {
    const rt = await runtimes.on(engine);
    const ws = rt.workspaceId;
    await credited(rt, ws, [{ writers: [['Max Stone', '00333333333']] }]);
    const first = await ownerOf(rt, ws, 'name', 'max stone');
    const [other] = await credited(rt, ws, [{ writers: [['STONE, MAX', '00444444444']] }]);
    const second = await ownerOf(rt, ws, 'ipi', '00444444444');
    expect(second).not.toBe(first);
    expect(await ownerOf(rt, ws, 'name', 'max stone')).toBe(first);
    const [credit] = await rt.db.select().from(songwriterCredits).where(eq(songwriterCredits.trackId, other!.id));
    expect(credit).toMatchObject({ songwriterId: second, nameKey: 'max stone', ipi: '00444444444', creditedName: 'Max Stone', source: 'mlc' });
    // A credit without an IPI goes by name: to the first.
    const [plain] = await credited(rt, ws, [{ songwriters: ['Max Stone'] }]);
    expect((await rt.db.select().from(songwriterCredits).where(eq(songwriterCredits.trackId, plain!.id)))[0]!.songwriterId).toBe(first);
  });

  test('credits: lists and featuring split, MLC wins over MusicBrainz for one person, producers and junk are nobody; a re-sync rebuilds', async () => {
    const rt = await runtimes.on(engine);
    const ws = rt.workspaceId;
    const [track] = await seedCreditedTracks(rt, ws, [
      { songwriters: ['Jane Doe & John Roe feat. Kai Sato', 'Unknown', 'KAI SATO'], writers: [['DOE, JANE', '00555555555']], producers: ['Pat Producer'] },
    ]);
    const affected = await syncCredits(rt, ws, [track!]);
    const credits = await rt.db.select().from(songwriterCredits).where(eq(songwriterCredits.trackId, track!.id));
    expect(credits.map((c) => [c.nameKey, c.creditedName, c.ipi, c.source]).sort()).toEqual([
      ['jane doe', 'Jane Doe', '00555555555', 'mlc'],
      ['john roe', 'John Roe', null, 'musicbrainz'],
      ['kai sato', 'Kai Sato', null, 'musicbrainz'],
    ]);
    expect(affected.sort()).toEqual([...new Set(credits.map((c) => c.songwriterId))].sort());
    expect(await ownerOf(rt, ws, 'name', 'pat producer')).toBeUndefined();

    // The track's credits change: the old ones go, and the songwriters who lost it are among those to rescore.
    const roe = await ownerOf(rt, ws, 'name', 'john roe');
    const [changed] = await rt.db.update(tracks).set({ songwriters: ['Jane Doe'], writers: null }).where(eq(tracks.id, track!.id)).returning();
    const again = await syncCredits(rt, ws, [changed!]);
    expect(again).toContain(roe);
    const after = await rt.db.select().from(songwriterCredits).where(eq(songwriterCredits.trackId, track!.id));
    expect(after.map((c) => [c.nameKey, c.ipi, c.source])).toEqual([['jane doe', null, 'musicbrainz']]);
    expect((await rt.db.select().from(songwriters).where(eq(songwriters.id, roe!)))[0]!.trackCount).toBe(0);
    // Nobody credits John Roe now, and he is not a contact: the list leaves him out.
    expect((await callerFor(rt).songwriters.list({ q: 'John Roe' })).total).toBe(0);
  });

  test('two transactions meeting the same new writer at once end with one record, neither failing', async () => {
    const rt = await runtimes.on(engine);
    const ws = rt.workspaceId;
    const [a, b] = await seedCreditedTracks(rt, ws, [
      { songwriters: ['Lena Novak'], writers: [['NOVAK, LENA', '00666666666']] },
      { songwriters: ['Lena Novak', 'Omar Haddad'], writers: [['NOVAK, LENA', '00666666666']] },
    ]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let firstSynced!: () => void;
    const synced = new Promise<void>((resolve) => (firstSynced = resolve));
    // The first holds its new record uncommitted while the second tries to create the same one.
    const first = rt.log.transaction(async (tx) => {
      await syncTrackCredits(tx, ws, [a!]);
      firstSynced();
      await gate;
    });
    await synced;
    let secondDone = false;
    const second = rt.log.transaction((tx) => syncTrackCredits(tx, ws, [b!])).then(() => (secondDone = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // It waits for the first's uncommitted record (Postgres: on the alias; PGlite: one connection).
    expect(secondDone).toBe(false);
    release();
    await Promise.all([first, second]);

    const records = await rt.db.select().from(songwriters).where(eq(songwriters.workspaceId, ws));
    expect(records.map((r) => r.name).sort()).toEqual(['Lena Novak', 'Omar Haddad']);
    const novak = records.find((r) => r.name === 'Lena Novak')!.id;
    const credits = await rt.db.select().from(songwriterCredits).where(and(eq(songwriterCredits.workspaceId, ws), eq(songwriterCredits.nameKey, 'lena novak')));
    expect(credits.map((c) => c.songwriterId)).toEqual([novak, novak]);
    expect(await ownerOf(rt, ws, 'ipi', '00666666666')).toBe(novak);
  });

  test('two jobs at once over playlists sharing writers both complete, first time, with one record per person', { timeout: 120_000 }, async () => {
    const rt = await runtimes.on(engine);
    const caller = callerFor(rt);
    const jobs = await live(rt, (c) => c.jobStatus());
    startWorker(rt, 2);
    const added = await Promise.all([caller.playlists.add({ url: demoPlaylistId(71) }), caller.playlists.add({ url: demoPlaylistId(72) })]);
    for (const playlist of added) {
      await waitFor(() => jobTransitions(jobs.events, playlist.jobId!).includes('running->completed'), { what: 'both jobs completed', timeoutMs: 90_000 });
      // No attempt failed (a deadlock would have been retried): queued, running, completed.
      expect(jobTransitions(jobs.events, playlist.jobId!)).toEqual(['none->queued', 'queued->running', 'running->completed']);
    }
    await jobs.stop();
    const stored = await rt.db.select().from(tracks).where(eq(tracks.workspaceId, rt.workspaceId));
    const names = new Set(stored.flatMap((t) => creditsOf(t).map((c) => c.nameKey)));
    const aliases = await rt.db.select().from(songwriterAliases).where(and(eq(songwriterAliases.workspaceId, rt.workspaceId), eq(songwriterAliases.kind, 'name')));
    expect(aliases.map((a) => a.key).sort()).toEqual([...names].sort());
    expect(new Set(aliases.map((a) => a.songwriterId)).size).toBe(names.size);
    expect((await caller.songwriters.list({ limit: 1 })).total).toBe(names.size);
  });

  test('records of one workspace never take credits of another', async () => {
    const rt = await runtimes.on(engine);
    const other = await createWorkspace(rt, 'Other label');
    await credited(rt, rt.workspaceId, [{ writers: [['Noah Sato', '00777777777']] }]);
    await credited(rt, other, [{ writers: [['Noah Sato', '00777777777']] }]);
    const mine = await ownerOf(rt, rt.workspaceId, 'ipi', '00777777777');
    const theirs = await ownerOf(rt, other, 'ipi', '00777777777');
    expect(mine).toBeDefined();
    expect(theirs).toBeDefined();
    expect(theirs).not.toBe(mine);
    expect((await callerFor(rt).songwriters.list({})).items.map((s) => s.id)).toEqual([mine]);
    expect((await callerFor(rt, undefined, { workspaceId: other }).songwriters.list({})).items.map((s) => s.id)).toEqual([theirs]);
  });
});
