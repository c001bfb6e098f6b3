/**
 * Stores fetched playlists' tracks in the caller's transaction: tracks are de-duplicated by
 * Spotify id across the workspace's playlists (a track already known keeps its enrichment), and
 * each playlist's membership becomes the fetched list, written and recorded as a diff against the
 * stored one (history/record-membership-changes.ts: added and dropped tracks, first_seen_at, one
 * playlist_tracks_changed per playlist that changed).
 *
 * Set-based: however many playlists, one lookup of known tracks, one insert of new ones and a few
 * membership statements, each column sent as one array (unnest), so a batch of imported playlists
 * costs a few statements instead of a few per playlist, and never one per track.
 */
import { sql } from 'drizzle-orm';
import { tracks } from '../db/schema';
import { rows, type Transaction } from '../db/database';
import type { Tx } from '../events/event-log';
import { recordMembershipChanges, type MembershipDiff } from '../history/record-membership-changes';
import type { PlaylistTrackRef } from '../providers/types';

export interface PlaylistTracks {
  workspaceId: string;
  playlistId: string;
  refs: readonly PlaylistTrackRef[];
}

export interface SyncedTracks extends MembershipDiff {
  trackCount: number;
}

// Rows per statement: each column travels as one array parameter (unnest), so this only bounds a statement's size.
const ROWS_PER_STATEMENT = 2000;

/** Replaces one playlist's membership with the fetched tracks (add, refresh); returns its track count and what changed. */
export async function syncPlaylistTracks(tx: Tx, workspaceId: string, playlistId: string, refs: readonly PlaylistTrackRef[]): Promise<SyncedTracks> {
  const synced = await syncPlaylistsTracks(tx, [{ workspaceId, playlistId, refs }]);
  return synced.get(playlistId)!;
}

/** The same for a batch of playlists (an import's fetched playlists); returns each playlist's track count and what changed. */
export async function syncPlaylistsTracks(tx: Tx, entries: readonly PlaylistTracks[]): Promise<Map<string, SyncedTracks>> {
  const synced = new Map<string, SyncedTracks>();
  const uniqueRefs = entries.map((entry) => [...new Map(entry.refs.map((ref) => [ref.spotifyId, ref])).values()]);
  for (const workspaceId of new Set(entries.map((entry) => entry.workspaceId))) {
    const refs = new Map<string, PlaylistTrackRef>();
    entries.forEach((entry, i) => {
      if (entry.workspaceId === workspaceId) for (const ref of uniqueRefs[i]!) if (!refs.has(ref.spotifyId)) refs.set(ref.spotifyId, ref);
    });
    const ids = await trackIds(tx.db, workspaceId, [...refs.values()]);
    const memberships = entries.flatMap((entry, i) =>
      entry.workspaceId === workspaceId ? [{ playlistId: entry.playlistId, trackIds: uniqueRefs[i]!.map((ref) => ids.get(ref.spotifyId)!) }] : [],
    );
    const diffs = await recordMembershipChanges(tx, workspaceId, memberships);
    for (const membership of memberships) synced.set(membership.playlistId, { trackCount: membership.trackIds.length, ...diffs.get(membership.playlistId)! });
  }
  return synced;
}

/**
 * The workspace's track id for each ref, inserting the ones it does not know yet. Known tracks
 * are looked up first (in a workspace that shares tracks across playlists, most are), so only
 * new ones are written.
 */
async function trackIds(db: Transaction, workspaceId: string, refs: readonly PlaylistTrackRef[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const lookUp = async (spotifyIds: readonly string[]) => {
    for (const slice of chunks(spotifyIds, ROWS_PER_STATEMENT)) {
      const found = await rows<{ id: string; spotify_id: string }>(
        db,
        sql`SELECT id, spotify_id FROM ${tracks} WHERE workspace_id = ${workspaceId} AND spotify_id = ANY(${sql.param([...slice])}::text[])`,
      );
      for (const row of found) ids.set(row.spotify_id, row.id);
    }
  };
  await lookUp(refs.map((ref) => ref.spotifyId));
  // Sorted: concurrent writers (workers in other processes) take the unique-index locks of new
  // tracks in one order, so two batches sharing new tracks wait for each other instead of deadlocking.
  const missing = refs.filter((ref) => !ids.has(ref.spotifyId)).sort((a, b) => (a.spotifyId < b.spotifyId ? -1 : a.spotifyId > b.spotifyId ? 1 : 0));
  for (const slice of chunks(missing, ROWS_PER_STATEMENT)) {
    const column = <K extends keyof PlaylistTrackRef>(key: K) => sql.param(slice.map((ref) => ref[key]));
    const inserted = await rows<{ id: string; spotify_id: string }>(
      db,
      sql`INSERT INTO ${tracks} (id, workspace_id, spotify_id, name, artist, album, duration_ms, explicit)
        SELECT id, ${workspaceId}, spotify_id, name, artist, album, duration_ms, explicit
        FROM unnest(${sql.param(slice.map(() => crypto.randomUUID()))}::text[], ${column('spotifyId')}::text[], ${column('name')}::text[], ${column('artist')}::text[], ${column('album')}::text[], ${column('durationMs')}::int[], ${column('explicit')}::boolean[])
          AS v(id, spotify_id, name, artist, album, duration_ms, explicit)
        ON CONFLICT (workspace_id, spotify_id) DO NOTHING
        RETURNING id, spotify_id`,
    );
    for (const row of inserted) ids.set(row.spotify_id, row.id);
  }
  // Added by another writer between the lookup and the insert: theirs is the row.
  const raced = missing.filter((ref) => !ids.has(ref.spotifyId)).map((ref) => ref.spotifyId);
  if (raced.length > 0) await lookUp(raced);
  return ids;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
