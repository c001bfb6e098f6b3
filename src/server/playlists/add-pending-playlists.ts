/**
 * Adds playlists that an import read but nobody has fetched yet, in the caller's transaction:
 * one multi-row insert of the playlists (fetchStatus `pending`, the file's name and tags), one of
 * their fetch jobs (phase 0, bulk priority: the worker's fetch loops bring metadata and tracks),
 * and a playlist_updated each, so every view shows them waiting. A Spotify id the workspace
 * already tracks (another tab, another import got there first) is left out of the result.
 */
import { playlists, enrichmentJobs } from '../db/schema';
import type { Tx } from '../events/event-log';
import { JOB_PRIORITY } from '../jobs/job-priority';

export interface PendingPlaylistInput {
  spotifyId: string;
  name?: string;
  tags?: readonly string[];
}

/** The phase a fetch job runs: before catalog (1), credits (2), stats (3) and rights (4). */
export const FETCH_PHASE = 0;

/** Returns the new playlists' ids by Spotify id. */
export async function addPendingPlaylists(
  tx: Tx,
  workspaceId: string,
  inputs: readonly PendingPlaylistInput[],
  fetch: { importId: string; maxAttempts: number },
): Promise<Map<string, string>> {
  const added = new Map<string, string>();
  if (inputs.length === 0) return added;
  const rows = await tx.db
    .insert(playlists)
    .values(inputs.map((input) => ({ workspaceId, spotifyId: input.spotifyId, name: input.name?.trim() ?? '', tags: normalizeTags(input.tags), fetchStatus: 'pending' as const })))
    .onConflictDoNothing({ target: [playlists.workspaceId, playlists.spotifyId] })
    .returning({ id: playlists.id, spotifyId: playlists.spotifyId, name: playlists.name, tags: playlists.tags });
  if (rows.length === 0) return added;
  await tx.db.insert(enrichmentJobs).values(
    rows.map((row) => ({
      workspaceId,
      playlistId: row.id,
      importId: fetch.importId,
      kind: 'fetch' as const,
      phases: [FETCH_PHASE],
      priority: JOB_PRIORITY.bulk,
      maxAttempts: fetch.maxAttempts,
    })),
  );
  for (const row of rows) {
    added.set(row.spotifyId, row.id);
    tx.emit({
      type: 'playlist_updated',
      workspaceId,
      keys: { playlistId: row.id },
      data: { playlistId: row.id, spotifyId: row.spotifyId, changes: { name: row.name, tags: row.tags, trackCount: 0, fetchStatus: 'pending' }, removed: false },
    });
  }
  return added;
}

export function normalizeTags(tags: readonly string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((tag) => tag.trim()).filter(Boolean))];
}
