/**
 * Rescores the songwriters credited on some tracks, in the caller's transaction: for changes to a
 * track that are not its enrichment (playlist membership: a track joining an early-career
 * playlist changes its writers' score). A track with no credits yet (not enriched) costs one
 * index lookup and nothing else.
 */
import { sql } from 'drizzle-orm';
import { rows } from '~/server/db/database';
import { songwriterCredits } from '~/server/db/schema';
import type { Tx } from '~/server/events/event-log';
import { rescoreSongwriters } from './rescore';

export async function rescoreCreditedOn(tx: Tx, workspaceId: string, trackIds: readonly string[]): Promise<void> {
  if (trackIds.length === 0) return;
  const credited = await rows<{ songwriter_id: string }>(
    tx.db,
    sql`SELECT DISTINCT ${songwriterCredits.songwriterId} AS songwriter_id FROM ${songwriterCredits}
        WHERE ${songwriterCredits.trackId} = ANY(${sql.param([...new Set(trackIds)])}::text[])`,
  );
  await rescoreSongwriters(tx, workspaceId, credited.map((row) => row.songwriter_id));
}
