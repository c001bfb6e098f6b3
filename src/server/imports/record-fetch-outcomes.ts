/**
 * What fetching did to an import, in the caller's transaction (the one that stored the fetched
 * playlists or removed the failed ones): a playlist that could not be fetched turns its row from
 * created into failed with the reason (the error report stays complete), the counters move with
 * the rows they count, and the import finishes when this settles its last fetch.
 */
import { eq, sql } from 'drizzle-orm';
import { rows } from '../db/database';
import { importRows, imports } from '../db/schema';
import type { Tx } from '../events/event-log';
import { finishIfSettled, type ImportRecord } from './finish-import';

export interface FetchFailure {
  playlistId: string;
  reason: string;
}

export interface RecordedFetches {
  /** The import after the change (its counters, for progress). */
  row: ImportRecord;
  /** Set when this transaction finished the import. */
  finished: ImportRecord | null;
}

export async function recordFetchOutcomes(tx: Tx, importId: string, outcomes: { fetched: number; failed: readonly FetchFailure[] }): Promise<RecordedFetches | null> {
  let failed = 0;
  if (outcomes.failed.length > 0) {
    const values = sql.join(
      outcomes.failed.map((failure) => sql`(${failure.playlistId}::text, ${failure.reason}::text)`),
      sql`, `,
    );
    // Only a row still `created` moves: a failure is never counted twice.
    const moved = await rows<{ row_number: number }>(tx.db, sql`
      UPDATE ${importRows} SET outcome = 'failed', reason = v.reason, playlist_id = NULL
      FROM (VALUES ${values}) AS v(playlist_id, reason)
      WHERE ${importRows.importId} = ${importId} AND ${importRows.playlistId} = v.playlist_id AND ${importRows.outcome} = 'created'
      RETURNING ${importRows.rowNumber}`);
    failed = moved.length;
  }
  if (outcomes.fetched === 0 && failed === 0) {
    const [row] = await tx.db.select().from(imports).where(eq(imports.id, importId));
    return row ? { row, finished: await finishIfSettled(tx, row) } : null;
  }
  const [row] = await tx.db
    .update(imports)
    .set({
      fetched: sql`${imports.fetched} + ${outcomes.fetched}`,
      fetchFailed: sql`${imports.fetchFailed} + ${failed}`,
      created: sql`${imports.created} - ${failed}`,
      failed: sql`${imports.failed} + ${failed}`,
      updatedAt: new Date(),
    })
    .where(eq(imports.id, importId))
    .returning();
  if (!row) return null;
  return { row, finished: await finishIfSettled(tx, row) };
}
