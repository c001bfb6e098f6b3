/**
 * A person's note on one track ("pitched to the label", "credits disputed"): an entry in the
 * track's history, a track_noted event for whoever has the track on screen, and a line in the
 * workspace's activity feed.
 */
import { and, eq } from 'drizzle-orm';
import { logActivity } from '~/server/activity/log-activity';
import { tracks } from '~/server/db/schema';
import type { Runtime } from '~/server/runtime';
import type { TrackHistoryItem } from './track-detail';
import { TrackError } from './track-error';
import { recordTrackHistory } from './track-history';

export function noteTrack(runtime: Runtime, workspaceId: string, input: { trackId: string; message: string; by: string | null; byName: string | null }): Promise<TrackHistoryItem> {
  return runtime.log.transaction(async (tx) => {
    const [track] = await tx.db
      .select({ id: tracks.id, name: tracks.name, artist: tracks.artist })
      .from(tracks)
      .where(and(eq(tracks.workspaceId, workspaceId), eq(tracks.id, input.trackId)))
      .for('key share');
    if (!track) throw new TrackError('TRACK_NOT_FOUND', `Track ${input.trackId} was not found in this workspace.`);
    const [entry] = await recordTrackHistory(tx.db, workspaceId, [{ trackId: track.id, kind: 'note', message: input.message, by: input.by }]);
    const at = entry!.at.toISOString();
    tx.emit({ type: 'track_noted', workspaceId, keys: { trackId: track.id }, data: { trackId: track.id, itemId: entry!.id, message: input.message, by: input.by, at } });
    await logActivity(tx, { workspaceId, kind: 'track_note', message: `Note on "${track.name}" (${track.artist}): ${input.message}`, keys: { trackId: track.id } });
    return { id: entry!.id, kind: 'note', message: input.message, jobId: null, playlistId: null, at, by: input.by, byName: input.byName };
  });
}
