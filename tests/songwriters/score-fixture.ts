/**
 * A workspace's songwriters written straight into the tables (tracks, playlists, songwriters,
 * aliases, credits), as identity sync would leave them, for the scoring tests: each test states
 * only the facts its category reads.
 */
import { eq } from 'drizzle-orm';
import { playlists, playlistTracks, songwriterAliases, songwriterCredits, songwriters, tracks } from '~/server/db/schema';
import { rescoreSongwriters } from '~/server/songwriters/rescore';
import type { Runtime } from '~/server/runtime';

type TrackFields = Partial<typeof tracks.$inferInsert>;

export function scoreFixture(runtime: Runtime, workspaceId: string) {
  let n = 0;
  const next = () => String(++n).padStart(6, '0');
  return {
    /** A track with every fact known (ISRC, label-less unless given, release date, ISWC, streams) unless `fields` say otherwise. */
    async track(fields: TrackFields = {}, onPlaylists: string[] = []): Promise<string> {
      const id = `trk${next()}`;
      await runtime.db.insert(tracks).values({
        id,
        workspaceId,
        spotifyId: `sp${id}`,
        name: `Song ${id}`,
        artist: 'Ada Vale',
        isrc: `USAAA${id}`,
        releaseDate: '2024-03-01',
        iswc: `T-000.000.${id.slice(-3)}-1`,
        streams: 1000,
        enrichmentStatus: 'completed',
        ...fields,
      });
      if (onPlaylists.length > 0) await runtime.db.insert(playlistTracks).values(onPlaylists.map((playlistId, position) => ({ workspaceId, playlistId, trackId: id, position })));
      return id;
    },
    async playlist(name: string): Promise<string> {
      const id = `pl${next()}`;
      await runtime.db.insert(playlists).values({ id, workspaceId, spotifyId: `sp${id}`, name });
      return id;
    },
    /** A songwriter with their name alias and, given one, an IPI alias. */
    async songwriter(name: string, opts: { ipi?: string } = {}): Promise<string> {
      const id = `sw${next()}`;
      await runtime.db.insert(songwriters).values({ id, workspaceId, name });
      await runtime.db.insert(songwriterAliases).values({ workspaceId, kind: 'name', key: `${name.toLowerCase()} ${id}`, display: name, songwriterId: id });
      if (opts.ipi) await runtime.db.insert(songwriterAliases).values({ workspaceId, kind: 'ipi', key: opts.ipi, display: name, songwriterId: id });
      return id;
    },
    async credit(songwriterId: string, ...trackIds: string[]): Promise<void> {
      await runtime.db
        .insert(songwriterCredits)
        .values(trackIds.map((trackId) => ({ workspaceId, trackId, nameKey: `key ${songwriterId}`, songwriterId, creditedName: songwriterId, source: 'mlc' as const })));
    },
    rescore(...ids: string[]): Promise<void> {
      return runtime.log.transaction((tx) => rescoreSongwriters(tx, workspaceId, ids));
    },
    async read(id: string) {
      const [row] = await runtime.db.select().from(songwriters).where(eq(songwriters.id, id));
      return row!;
    },
  };
}
