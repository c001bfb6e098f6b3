/**
 * Tracks enriched before songwriter records existed get them when the app starts
 * (songwriters/backfill-songwriters.ts), scored; a workspace that has credits is left alone.
 */
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { songwriterCredits, songwriters } from '~/server/db/schema';
import { backfillSongwriters } from '~/server/songwriters/backfill-songwriters';
import { engines } from '../support/runtime';
import { testRuntimes } from '../enrichment/support';
import { seedCreditedTracks } from './identity-support';

const runtimes = testRuntimes();
afterEach(() => runtimes.dispose());

describe.each(engines)('songwriter backfill on %s', (engine) => {
  test('completed tracks with credits and no songwriter records get them, scored; a second start changes nothing', async () => {
    const rt = await runtimes.on(engine);
    await seedCreditedTracks(rt, rt.workspaceId, [
      { songwriters: ['Ana Lima'], writers: [['LIMA, ANA', '00012345678']], label: 'DistroKid', streams: 1000 },
      { songwriters: ['Ana Lima', 'Bo Chen'], label: 'DistroKid', streams: 500 },
    ]);
    const before = await rt.db.select().from(songwriters).where(eq(songwriters.workspaceId, rt.workspaceId));
    expect(before).toEqual([]);

    await backfillSongwriters(rt);
    const built = await rt.db.select().from(songwriters).where(eq(songwriters.workspaceId, rt.workspaceId));
    const ana = built.find((s) => s.name === 'Ana Lima');
    expect(built.map((s) => s.name).sort()).toEqual(['Ana Lima', 'Bo Chen']);
    expect(ana).toMatchObject({ trackCount: 2, totalStreams: 1500 });
    expect(ana!.scoreBreakdown?.categories.find((c) => c.key === 'pathway')?.points).toBe(3);

    const credits = await rt.db.select().from(songwriterCredits).where(eq(songwriterCredits.workspaceId, rt.workspaceId));
    await backfillSongwriters(rt);
    expect(await rt.db.select().from(songwriterCredits).where(eq(songwriterCredits.workspaceId, rt.workspaceId))).toEqual(credits);
  });
});
