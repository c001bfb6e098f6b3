/**
 * Keeps songwriters' score, publisher status and totals true to their credited tracks: in the
 * transaction that changed the tracks (the enrichment batch, a membership change, a merge), so the
 * score and the change commit together and songwriter_score_changed is published after both.
 *
 * Never stale: the songwriters' rows are locked first, in id order, before anything is read. Two
 * transactions that change tracks of the same songwriter therefore rescore one after the other,
 * and the second reads (read committed: a new snapshot per statement) after the first committed.
 * The lock is FOR NO KEY UPDATE, not FOR UPDATE: it serialises rescores just as well, and does not
 * wait for the key-share locks that inserting credits (a foreign key to the songwriter) takes, so
 * two batches crediting the same songwriter cannot deadlock on them.
 */
import { sql } from 'drizzle-orm';
import { rows } from '~/server/db/database';
import type { Tx } from '~/server/events/event-log';
import type { Runtime } from '~/server/runtime';
import { aggregateSongwriters } from './aggregate';
import { publisherStatusOf, scoreSongwriter } from './score';
import { scoreConfig } from './score-config';
import type { PublisherStatus } from './types';

/** Songwriters per transaction in a workspace rescore: each chunk holds its rows' locks until it commits. */
const WORKSPACE_CHUNK = 5_000;

interface LockedRow {
  id: string;
  name: string;
  score: number;
  publisher_status: PublisherStatus;
  track_count: number;
  scored_at: Date | string | null;
}

export async function rescoreSongwriters(tx: Tx, workspaceId: string, songwriterIds: readonly string[]): Promise<void> {
  if (songwriterIds.length === 0) return;
  const locked = await rows<LockedRow>(
    tx.db,
    sql`SELECT id, name, score, publisher_status, track_count, scored_at FROM songwriters
        WHERE workspace_id = ${workspaceId} AND id = ANY(${sql.param([...new Set(songwriterIds)])}::text[])
        ORDER BY id FOR NO KEY UPDATE`,
  );
  if (locked.length === 0) return;
  const config = scoreConfig();
  const aggregates = new Map((await aggregateSongwriters(tx.db, workspaceId, locked.map((row) => row.id), config)).map((a) => [a.songwriterId, a]));
  const scored = locked.map((row) => {
    const aggregate = aggregates.get(row.id)!;
    // A songwriter without credits (merged away, or whose tracks no longer name them) is unscored.
    const breakdown = aggregate.tracks > 0 ? scoreSongwriter(aggregate, config) : null;
    return { row, aggregate, breakdown, score: breakdown?.total ?? 0, status: publisherStatusOf(aggregate) };
  });

  // One statement for them all, its rows as one JSON parameter (a breakdown is itself JSON). A row
  // that comes out the same is not written: scored_at is when the breakdown last changed.
  const values = scored.map(({ row, aggregate, breakdown, score, status }) => ({
    id: row.id,
    score,
    breakdown,
    status,
    tracks: aggregate.tracks,
    streams: aggregate.totalStreams,
    first_seen: aggregate.firstSeenAt,
  }));
  await tx.db.execute(sql`
    UPDATE songwriters s SET
      score = u.score, score_breakdown = u.breakdown, scored_at = now(), publisher_status = u.status, track_count = u.tracks,
      total_streams = u.streams, first_seen_at = coalesce(u.first_seen, s.first_seen_at),
      updated_at = CASE WHEN (s.score, s.publisher_status, s.track_count, s.total_streams) IS DISTINCT FROM (u.score, u.status, u.tracks, u.streams)
        THEN now() ELSE s.updated_at END
    FROM jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
      AS u(id text, score real, breakdown jsonb, status text, tracks int, streams bigint, first_seen timestamptz)
    WHERE s.id = u.id
      AND (s.score, s.score_breakdown, s.publisher_status, s.track_count, s.total_streams, s.first_seen_at)
        IS DISTINCT FROM (u.score, u.breakdown, u.status, u.tracks, u.streams, coalesce(u.first_seen, s.first_seen_at))`);

  for (const { row, aggregate, breakdown, score, status } of scored) {
    // `score` is a float4: compare (and report) it at the one decimal it is computed to.
    const previous = Math.round(Number(row.score) * 10) / 10;
    if (previous === score && row.publisher_status === status && row.track_count === aggregate.tracks) continue;
    tx.emit({
      type: 'songwriter_score_changed',
      workspaceId,
      keys: { songwriterId: row.id },
      data: {
        songwriterId: row.id,
        name: row.name,
        score,
        previous: row.scored_at === null ? null : previous,
        publisherStatus: status,
        trackCount: aggregate.tracks,
        totalStreams: aggregate.totalStreams,
        categories: breakdown?.categories ?? [],
      },
    });
  }
}

/**
 * Rescores every songwriter of a workspace (after the label list changed, or by an admin's hand),
 * in chunks of their ids, each chunk its own transaction: a long rescore never holds every lock
 * at once, and enrichment batches interleave with it.
 */
export async function rescoreWorkspace(runtime: Runtime, workspaceId: string): Promise<{ songwriters: number; ms: number }> {
  const start = performance.now();
  const ids = (await rows<{ id: string }>(runtime.db, sql`SELECT id FROM songwriters WHERE workspace_id = ${workspaceId} ORDER BY id`)).map((row) => row.id);
  for (let at = 0; at < ids.length; at += WORKSPACE_CHUNK) {
    const chunk = ids.slice(at, at + WORKSPACE_CHUNK);
    await runtime.log.transaction(async (tx) => {
      // A chunk's aggregate sorts and hashes tens of thousands of credits: in memory, not in
      // temporary files. Without JIT: Postgres judged the query costly enough to compile it, which
      // took 1.1 s of its 3 s per 5,000 songwriters (auto_explain, npm run bench:songwriters data).
      await tx.db.execute(sql`SET LOCAL work_mem = '64MB'`);
      await tx.db.execute(sql`SET LOCAL jit = off`);
      await rescoreSongwriters(tx, workspaceId, chunk);
    });
  }
  return { songwriters: ids.length, ms: Math.round(performance.now() - start) };
}
