/**
 * Stores a batch of fetched pending playlists in the caller's transaction, set-based: their
 * tracks and memberships, recorded as added (sync-playlist-tracks.ts), their metadata, track count and metrics in
 * one UPDATE ... FROM (VALUES ...), one activity row and one playlist_updated each, and the
 * enrichment (phases 1-4) queued for them at bulk priority. A playlist that is no longer pending
 * (removed, or refreshed by hand meanwhile) is left as it is.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { logActivities } from '../activity/log-activity';
import { playlists } from '../db/schema';
import { rows } from '../db/database';
import type { Tx } from '../events/event-log';
import { computePlaylistsMetrics } from '../metrics/compute-playlist-metrics';
import type { CatalogPlaylist } from '../providers/types';
import type { Runtime } from '../runtime';
import { enqueueImportedEnrichment } from './enqueue-playlist-enrichment';
import { syncPlaylistsTracks } from './sync-playlist-tracks';

export interface PendingPlaylist {
  id: string;
  workspaceId: string;
  spotifyId: string;
  /** The name the import's file gave ('' for none): it wins over the catalog's. */
  name: string;
  tags: string[];
}

export interface FetchedPlaylist {
  playlist: PendingPlaylist;
  fetched: CatalogPlaylist;
  /** Where it came from, for the activity row ("from bench.csv"). */
  source: string | null;
}

/** Returns the ids of the playlists it stored. */
export async function storeFetchedPlaylists(tx: Tx, runtime: Runtime, fetchedBatch: readonly FetchedPlaylist[]): Promise<Set<string>> {
  const stored = new Set<string>();
  if (fetchedBatch.length === 0) return stored;
  // Locked until commit: a remove (or a refresh) waits for this batch instead of racing its writes.
  const pending = await tx.db
    .select({ id: playlists.id })
    .from(playlists)
    .where(and(inArray(playlists.id, fetchedBatch.map(({ playlist }) => playlist.id)), eq(playlists.fetchStatus, 'pending')))
    .for('no key update');
  const stillPending = new Set(pending.map((row) => row.id));
  const batch = fetchedBatch.filter(({ playlist }) => stillPending.has(playlist.id));
  if (batch.length === 0) return stored;
  const synced = await syncPlaylistsTracks(
    tx,
    batch.map(({ playlist, fetched }) => ({ workspaceId: playlist.workspaceId, playlistId: playlist.id, refs: fetched.tracks })),
  );
  const metrics = await computePlaylistsMetrics(tx.db, batch.map(({ playlist }) => playlist.id));
  const next = batch.map(({ playlist, fetched }) => ({
    id: playlist.id,
    // A restricted playlist's fallback has no metadata: its id stands in for the name.
    name: playlist.name || fetched.name || playlist.spotifyId,
    curator: fetched.curator,
    description: fetched.description,
    imageUrl: fetched.imageUrl,
    followers: fetched.followers,
    trackCount: synced.get(playlist.id)?.trackCount ?? 0,
    metrics: metrics.get(playlist.id)!,
  }));
  const values = sql.join(
    next.map(
      (p) =>
        sql`(${p.id}::text, ${p.name}::text, ${p.curator}::text, ${p.description}::text, ${p.imageUrl}::text, ${p.followers}::int, ${p.trackCount}::int, ${JSON.stringify(p.metrics)}::jsonb)`,
    ),
    sql`, `,
  );
  const updated = await rows<{ id: string }>(
    tx.db,
    sql`UPDATE ${playlists} AS p
      SET name = v.name, curator = v.curator, description = v.description, image_url = v.image_url, followers = v.followers,
          track_count = v.track_count, metrics = v.metrics, fetch_status = 'fetched', last_fetched_at = now(),
          last_error_code = NULL, last_error_message = NULL, updated_at = now()
      FROM (VALUES ${values}) AS v(id, name, curator, description, image_url, followers, track_count, metrics)
      WHERE p.id = v.id AND p.fetch_status = 'pending'
      RETURNING p.id`,
  );
  for (const row of updated) stored.add(row.id);
  const done = next.map((p, i) => ({ ...p, entry: batch[i]! })).filter((p) => stored.has(p.id));
  for (const p of done) {
    const { playlist } = p.entry;
    tx.emit({
      type: 'playlist_updated',
      workspaceId: playlist.workspaceId,
      keys: { playlistId: p.id },
      data: {
        playlistId: p.id,
        spotifyId: playlist.spotifyId,
        changes: { name: p.name, curator: p.curator, description: p.description, imageUrl: p.imageUrl, followers: p.followers, trackCount: p.trackCount, tags: playlist.tags, metrics: p.metrics, fetchStatus: 'fetched' },
        removed: false,
      },
    });
  }
  await logActivities(
    tx,
    done.map((p) => ({
      workspaceId: p.entry.playlist.workspaceId,
      kind: 'playlist_added',
      message: `Added playlist "${p.name}" (${p.trackCount} tracks)${p.entry.source ? ` from ${p.entry.source}` : ''}.`,
      keys: { playlistId: p.id },
    })),
  );
  await enqueueImportedEnrichment(
    tx,
    runtime,
    done.map((p) => ({ workspaceId: p.entry.playlist.workspaceId, playlistId: p.id, needing: p.metrics.trackCount - p.metrics.enriched })),
  );
  return stored;
}
