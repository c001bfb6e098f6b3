/**
 * Runs one import, row by row, from the row after its last committed one (0 for a new import).
 *
 * Commit protocol, which is what makes a resume exact:
 * - duplicates and failures pile up in memory and commit together (IMPORT_COMMIT_EVERY_ROWS);
 * - before a new playlist is added, everything before it commits, and its own row is written as
 *   an intent (outcome `created`, no playlist yet) in that same transaction, without moving
 *   last_row; addPlaylist then commits the playlist in its own transaction;
 * - after a crash, rows past last_row are redone. An intent row whose add finds the playlist
 *   already there is the add that committed just before the crash: it counts as created, not
 *   as a duplicate. Any other already-tracked playlist is a duplicate.
 * Counters and last_row move in the same transaction as the row outcomes they count.
 */
import { and, eq, gt, sql } from 'drizzle-orm';
import { importRows, imports, playlists } from '../db/schema';
import { addPlaylist } from '../playlists/add-playlist';
import { PlaylistError } from '../playlists/playlist-error';
import type { Runtime } from '../runtime';
import { finishImport } from './finish-import';
import { countOutcome, type ImportCounters, type RowOutcome } from './import-counters';
import { ImportProgress } from './import-progress';
import { readImportRows, type ImportRow } from './import-rows';

/** Why a run stops before its last row: a user's cancel, or the process shutting down (resumed later). */
export type StopReason = 'cancel' | 'shutdown';

interface Outcome {
  rowNumber: number;
  rawValue: string;
  outcome: RowOutcome;
  reason: string | null;
  playlistId: string | null;
}

export async function runImport(runtime: Runtime, importId: string, signal: AbortSignal): Promise<void> {
  const { db, config } = runtime;
  const [job] = await db.select().from(imports).where(eq(imports.id, importId));
  if (!job || job.status !== 'running') return;
  const workspaceId = job.workspaceId;
  const counters: ImportCounters = { processed: job.processed, created: job.created, duplicates: job.duplicates, failed: job.failed };
  const progress = new ImportProgress(runtime, { importId, workspaceId, total: job.total }, job.processed);
  const intents = new Set(
    (
      await db
        .select({ rowNumber: importRows.rowNumber })
        .from(importRows)
        .where(and(eq(importRows.importId, importId), gt(importRows.rowNumber, job.lastRow), eq(importRows.outcome, 'created')))
    ).map((row) => row.rowNumber),
  );
  let lastRow = job.lastRow;
  let cancelSeen = job.cancelRequested;
  const pending: Outcome[] = [];
  // First row of each playlist in this file: a later row with the same playlist is a duplicate of it.
  const firstRowOf = new Map<string, number>();

  const flush = async (intent?: ImportRow) => {
    if (pending.length === 0 && !intent) return;
    const upTo = pending.at(-1)?.rowNumber ?? lastRow;
    const values = pending.map((row) => ({ workspaceId, importId, ...row }));
    if (intent) values.push({ workspaceId, importId, rowNumber: intent.rowNumber, rawValue: intent.rawValue, outcome: 'created', reason: null, playlistId: null });
    const [state] = await runtime.log.transaction(async (tx) => {
      await tx.db
        .insert(importRows)
        .values(values)
        .onConflictDoUpdate({
          target: [importRows.importId, importRows.rowNumber],
          set: {
            outcome: sql`excluded.outcome`,
            reason: sql`excluded.reason`,
            playlistId: sql`excluded.playlist_id`,
            rawValue: sql`excluded.raw_value`,
          },
        });
      return tx.db
        .update(imports)
        .set({ ...counters, lastRow: upTo, updatedAt: new Date() })
        .where(eq(imports.id, importId))
        .returning({ cancelRequested: imports.cancelRequested });
    });
    pending.length = 0;
    lastRow = upTo;
    // A cancel from another process (or a request this one's importer missed) shows up here.
    if (state?.cancelRequested) cancelSeen = true;
    progress.report(counters);
  };

  const record = (row: ImportRow, outcome: RowOutcome, reason: string | null, playlistId: string | null = null) => {
    pending.push({ rowNumber: row.rowNumber, rawValue: row.rawValue, outcome, reason, playlistId });
    countOutcome(counters, outcome);
  };

  const importRow = async (row: ImportRow) => {
    if (row.problem || !row.spotifyId) return record(row, 'failed', row.problem ?? 'not a playlist');
    const first = firstRowOf.get(row.spotifyId);
    if (first !== undefined) return record(row, 'duplicate', `the same playlist as row ${first}`);
    firstRowOf.set(row.spotifyId, row.rowNumber);
    const [existing] = await db
      .select({ id: playlists.id })
      .from(playlists)
      .where(and(eq(playlists.workspaceId, workspaceId), eq(playlists.spotifyId, row.spotifyId)));
    if (existing) {
      // An intent row: this run's own add, committed just before the process died.
      if (intents.has(row.rowNumber)) return record(row, 'created', null, existing.id);
      return record(row, 'duplicate', 'already tracked in this workspace', existing.id);
    }
    await flush(row);
    try {
      const added = await addPlaylist(runtime, workspaceId, { url: row.url, name: row.name, tags: row.tags });
      // created: false here means another add won a race for it (or, for an intent, our own add before a crash).
      if (added.created || intents.has(row.rowNumber)) record(row, 'created', null, added.playlist.id);
      else record(row, 'duplicate', 'already tracked in this workspace', added.playlist.id);
    } catch (error) {
      // A playlist the catalog does not know or will not show fails its row; anything else (the
      // database gone) fails the import.
      if (!(error instanceof PlaylistError)) throw error;
      record(row, 'failed', error.message);
    }
  };

  let stoppedEarly = false;
  try {
    progress.report(counters, { final: true });
    for await (const row of readImportRows(job.csv, { maxRecordBytes: config.IMPORT_MAX_RECORD_BYTES })) {
      if (row.rowNumber <= job.lastRow) {
        // Committed before a restart: only remember which playlists the file already had.
        if (row.spotifyId && !firstRowOf.has(row.spotifyId)) firstRowOf.set(row.spotifyId, row.rowNumber);
        continue;
      }
      if (signal.aborted || cancelSeen) {
        stoppedEarly = true;
        break;
      }
      await importRow(row);
      if (pending.length >= config.IMPORT_COMMIT_EVERY_ROWS) await flush();
    }
    await flush();
  } catch (error) {
    if (signal.reason === 'shutdown') return;
    await flush().catch(() => {});
    await finishImport(runtime, importId, 'failed', { error: `The import stopped: ${error instanceof Error ? error.message : String(error)}` });
    progress.report(counters, { final: true });
    return;
  }
  // Shutting down: leave it running; the next start resumes after last_row.
  if (stoppedEarly && signal.reason === 'shutdown' && !cancelSeen) return;
  await finishImport(runtime, importId, stoppedEarly ? 'cancelled' : 'completed');
  progress.report(counters, { final: true });
}
