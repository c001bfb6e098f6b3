/**
 * Writes playlists' fetched membership as a diff against the stored one, in the caller's
 * transaction, and records the diff (the weekly history):
 *
 * - a playlist's first fetch (no membership stored yet) is its baseline: its tracks are written
 *   and nothing is recorded or announced. We cannot know when those tracks joined the playlist,
 *   only that they were on it when tracking began (playlist_tracks.added_at says when); recording
 *   them as "added this week" would tell the reader something false, and an import of thousands
 *   of playlists would write (and announce) every membership twice. The explorer still learns of
 *   their tracks: each one's enrichment starts with a track_status_changed;
 * - tracks no longer on a playlist are deleted from playlist_tracks and recorded `dropped` (at
 *   their last position); new ones are inserted and recorded `added` (at their new position); the
 *   ones that stayed keep their row, so playlist_tracks.added_at (created_at) is when the track was first added
 *   (this time round), and only their position follows the fetch;
 * - tracks.first_seen_at is never later than the track's first `added` (a new track's row is
 *   written by this transaction with the same now());
 * - one durable playlist_tracks_changed per playlist whose membership changed, with the ISO week
 *   (its Monday, UTC) the changes are recorded in.
 *
 * - the songwriters credited on tracks that joined or left a playlist (a baseline's too: a track
 *   already enriched may join its first early-career playlist) are rescored in the same transaction.
 *
 * Set-based: a few statements per group of playlists (each column one array parameter, unnest),
 * never one per track, so an import's batch of fetched playlists costs what it did before.
 */
import { sql } from 'drizzle-orm';
import { rows } from '../db/database';
import { playlists, playlistTrackChanges, playlistTracks, tracks } from '../db/schema';
import type { Tx } from '../events/event-log';
import { rescoreCreditedOn } from '../songwriters/rescore-credited';

export interface Membership {
  playlistId: string;
  /** The playlist's tracks in the fetched order (position = index), each once. */
  trackIds: readonly string[];
}

export interface MembershipDiff {
  /** Track ids, by their new position. */
  added: string[];
  /** Track ids, by the position they left. */
  dropped: string[];
}

// Members per statement: a playlist is never split, so one longer than this has a statement of its own.
const MEMBERS_PER_STATEMENT = 2000;

/** Replaces each playlist's membership (all of one workspace); returns each playlist's diff. */
export async function recordMembershipChanges(tx: Tx, workspaceId: string, memberships: readonly Membership[]): Promise<Map<string, MembershipDiff>> {
  const diffs = new Map<string, MembershipDiff>(memberships.map((m) => [m.playlistId, { added: [], dropped: [] }]));
  if (memberships.length === 0) return diffs;
  // Two fetches of one playlist settling at once (a refresh by hand and a scheduled one) diff one
  // after the other: the second sees the first's membership. Id order, so two writers never wait in a cycle.
  const ids = [...diffs.keys()].sort();
  await tx.db.execute(sql`SELECT id FROM ${playlists} WHERE id = ANY(${sql.param(ids)}::text[]) ORDER BY id FOR NO KEY UPDATE`);

  // Fetched before: it has members, or had some (a playlist emptied by a refresh has its drops recorded).
  const tracked = new Set(
    (
      await rows<{ playlist_id: string }>(
        tx.db,
        sql`SELECT playlist_id FROM ${playlistTracks} WHERE playlist_id = ANY(${sql.param(ids)}::text[])
          UNION SELECT playlist_id FROM ${playlistTrackChanges} WHERE playlist_id = ANY(${sql.param(ids)}::text[])`,
      )
    ).map((row) => row.playlist_id),
  );
  const baselines = memberships.filter((m) => !tracked.has(m.playlistId));
  for (const group of groups(baselines)) {
    const members = group.flatMap((m) => m.trackIds.map((trackId, position) => ({ playlistId: m.playlistId, trackId, position })));
    await tx.db.execute(sql`
      INSERT INTO ${playlistTracks} (workspace_id, playlist_id, track_id, position)
      SELECT ${workspaceId}, * FROM unnest(${sql.param(members.map((m) => m.playlistId))}::text[], ${sql.param(members.map((m) => m.trackId))}::text[], ${sql.param(members.map((m) => m.position))}::int[])
      ON CONFLICT (playlist_id, track_id) DO NOTHING`);
  }

  const changed: { playlist_id: string; track_id: string; position: number | null; change: 'added' | 'dropped'; week: string }[] = [];
  for (const group of groups(memberships.filter((m) => tracked.has(m.playlistId)))) {
    const playlistIds = group.map((m) => m.playlistId);
    const members = group.flatMap((m) => m.trackIds.map((trackId, position) => ({ playlistId: m.playlistId, trackId, position })));
    const column = <K extends keyof (typeof members)[number]>(key: K) => sql.param(members.map((m) => m[key]));
    const recorded = sql`RETURNING playlist_id, track_id, position, change, to_char(date_trunc('week', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week`;

    const dropped = await rows<(typeof changed)[number]>(
      tx.db,
      sql`WITH fetched AS (SELECT * FROM unnest(${column('playlistId')}::text[], ${column('trackId')}::text[]) AS v(playlist_id, track_id)),
        gone AS (
          DELETE FROM ${playlistTracks} pt
          WHERE pt.playlist_id = ANY(${sql.param(playlistIds)}::text[])
            AND NOT EXISTS (SELECT 1 FROM fetched f WHERE f.playlist_id = pt.playlist_id AND f.track_id = pt.track_id)
          RETURNING pt.playlist_id, pt.track_id, pt.position)
        INSERT INTO ${playlistTrackChanges} (workspace_id, playlist_id, track_id, change, position)
        SELECT ${workspaceId}, playlist_id, track_id, 'dropped', position FROM gone
        ${recorded}`,
    );
    // A membership already there is left as it is (ON CONFLICT): its added_at stays the first add's.
    const added = await rows<(typeof changed)[number]>(
      tx.db,
      sql`WITH fresh AS (
          INSERT INTO ${playlistTracks} (workspace_id, playlist_id, track_id, position)
          SELECT ${workspaceId}, * FROM unnest(${column('playlistId')}::text[], ${column('trackId')}::text[], ${column('position')}::int[])
          ON CONFLICT (playlist_id, track_id) DO NOTHING
          RETURNING playlist_id, track_id, position)
        INSERT INTO ${playlistTrackChanges} (workspace_id, playlist_id, track_id, change, position)
        SELECT ${workspaceId}, playlist_id, track_id, 'added', position FROM fresh
        ${recorded}`,
    );
    // Every member new (a playlist a refresh had emptied): no position to move.
    if (added.length < members.length) {
      await tx.db.execute(sql`
        UPDATE ${playlistTracks} pt SET position = v.position
        FROM unnest(${column('playlistId')}::text[], ${column('trackId')}::text[], ${column('position')}::int[]) AS v(playlist_id, track_id, position)
        WHERE pt.playlist_id = v.playlist_id AND pt.track_id = v.track_id AND pt.position <> v.position`);
    }
    if (added.length > 0) {
      // A track another writer inserted after this transaction began has a later first_seen_at than this add.
      await tx.db.execute(sql`
        UPDATE ${tracks} SET first_seen_at = now()
        WHERE workspace_id = ${workspaceId} AND id = ANY(${sql.param([...new Set(added.map((row) => row.track_id))])}::text[]) AND first_seen_at > now()`);
    }
    changed.push(...dropped, ...added);
  }

  await rescoreCreditedOn(tx, workspaceId, [...baselines.flatMap((m) => m.trackIds), ...changed.map((row) => row.track_id)]);

  changed.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  for (const row of changed) diffs.get(row.playlist_id)![row.change].push(row.track_id);
  const week = changed[0]?.week;
  for (const [playlistId, diff] of diffs) {
    if (diff.added.length === 0 && diff.dropped.length === 0) continue;
    tx.emit({ type: 'playlist_tracks_changed', workspaceId, keys: { playlistId }, data: { playlistId, added: diff.added, dropped: diff.dropped, week: week! } });
  }
  return diffs;
}

function groups(memberships: readonly Membership[]): Membership[][] {
  const out: Membership[][] = [];
  let current: Membership[] = [];
  let size = 0;
  for (const membership of memberships) {
    if (current.length > 0 && size + membership.trackIds.length > MEMBERS_PER_STATEMENT) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(membership);
    size += membership.trackIds.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}
