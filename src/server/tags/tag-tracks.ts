/**
 * Tags or untags many tracks at once (the explorer's selection). Set-based: each step is one
 * statement however many tracks. All or nothing: an id that is not a track of this workspace
 * refuses the whole request before anything is written. Only tracks whose tagging changed count:
 * they get a history entry each, and one track_tags_changed event and one activity row tell of
 * the batch.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { logActivity } from '~/server/activity/log-activity';
import { rows, type Executor } from '~/server/db/database';
import { trackTags, tracks } from '~/server/db/schema';
import type { Runtime } from '~/server/runtime';
import { missingTracksMessage } from '~/server/tracks/missing-tracks';
import { plural, recordTrackHistory } from '~/server/tracks/track-history';
import { lockTag } from './queries';
import { TagError } from './tag-error';

export type TagAction = 'tagged' | 'untagged';

export interface TagTracksInput {
  tagId: string;
  trackIds: readonly string[];
  /** The person asking; null for an API key. */
  by: string | null;
}

export function tagTracks(runtime: Runtime, workspaceId: string, action: TagAction, input: TagTracksInput): Promise<{ changed: number }> {
  const ids = [...new Set(input.trackIds)];
  const by = input.by;
  return runtime.log.transaction(async (tx) => {
    const tag = await lockTag(tx.db, workspaceId, input.tagId, 'share');
    if (!tag) throw new TagError('TAG_NOT_FOUND', `Tag ${input.tagId} was not found in this workspace.`);
    const found = await lockTracks(tx.db, workspaceId, ids, action);
    const idList = sql`${sql.param(ids)}::text[]`;
    const changed =
      action === 'tagged'
        ? await rows<{ track_id: string }>(
            tx.db,
            sql`INSERT INTO ${trackTags} (workspace_id, track_id, tag_id, created_by)
                SELECT ${workspaceId}, id, ${tag.id}, ${by}::text FROM unnest(${idList}) AS id
                ON CONFLICT DO NOTHING RETURNING track_id`,
          )
        : await rows<{ track_id: string }>(
            tx.db,
            sql`DELETE FROM ${trackTags} WHERE ${trackTags.tagId} = ${tag.id} AND ${trackTags.trackId} = ANY(${idList}) RETURNING track_id`,
          );
    const changedIds = new Set(changed.map((row) => row.track_id));
    // In the order asked, so the event lists the tracks as the person selected them.
    const trackIds = ids.filter((id) => changedIds.has(id));
    if (trackIds.length === 0) return { changed: 0 };

    const message = action === 'tagged' ? `Tagged "${tag.name}".` : `Untagged "${tag.name}".`;
    await recordTrackHistory(tx.db, workspaceId, trackIds.map((trackId) => ({ trackId, kind: action, message, by })));
    tx.emit({ type: 'track_tags_changed', workspaceId, keys: {}, data: { tagId: tag.id, name: tag.name, color: tag.color, action, trackIds } });
    const only = trackIds.length === 1 ? found.get(trackIds[0]!) : undefined;
    const which = only ? `"${only.name}" (${only.artist})` : plural(trackIds.length, 'track');
    await logActivity(tx, {
      workspaceId,
      kind: action === 'tagged' ? 'tracks_tagged' : 'tracks_untagged',
      message: action === 'tagged' ? `Tagged ${which} "${tag.name}".` : `Removed the tag "${tag.name}" from ${which}.`,
      keys: only ? { trackId: trackIds[0]! } : {},
    });
    return { changed: trackIds.length };
  });
}

/**
 * The tracks, locked FOR KEY SHARE (so none is deleted before the tagging commits, while
 * enrichment, which takes NO KEY UPDATE, goes on undisturbed); refuses the request if any is not
 * a track of this workspace.
 */
async function lockTracks(db: Executor, workspaceId: string, ids: readonly string[], action: TagAction) {
  const found = await db
    .select({ id: tracks.id, name: tracks.name, artist: tracks.artist })
    .from(tracks)
    .where(and(eq(tracks.workspaceId, workspaceId), sql`${tracks.id} = ANY(${sql.param([...ids])}::text[])`))
    .orderBy(asc(tracks.id))
    .for('key share');
  const missing = missingTracksMessage(ids, found, `nothing was ${action}`);
  if (missing) throw new TagError('TRACK_NOT_FOUND', missing);
  return new Map(found.map((row) => [row.id, row]));
}
