/**
 * Intake: reads one import's file from the row after its last committed one (0 for a new import)
 * and records every row's outcome, in chunks of IMPORT_COMMIT_EVERY_ROWS rows. Fetching the new
 * playlists is not done here: each one is written `pending` with a fetch job on the job queue
 * (playlists/add-pending-playlists.ts), which the worker's fetch loops run (enrichment/fetch-worker.ts).
 *
 * Commit protocol, which is what makes a resume exact: one transaction per chunk holds the
 * chunk's row outcomes, its new playlists and their fetch jobs, the counters (as increments, so
 * the fetch loops' own updates are never overwritten) and last_row. After a crash the rows past
 * last_row are read again and nothing of them exists yet: no row is counted twice, no playlist
 * added twice. (An import left by the previous version may have intent rows past last_row: a
 * `created` row whose playlist was added just before the crash counts as created, not duplicate.)
 *
 * When every row is read (or a cancel stops the reading) the import is marked read; it finishes
 * in the transaction that settles its last fetch, or here when there is nothing left to fetch.
 */
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { importRows, imports, playlists } from '../db/schema';
import { addPendingPlaylists } from '../playlists/add-pending-playlists';
import type { Runtime } from '../runtime';
import { cancelImportFetches } from './cancel-import-fetches';
import { finishIfSettled, finishImport, type ImportRecord } from './finish-import';
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
  const progress = new ImportProgress(runtime, { importId, workspaceId }, job);
  if (job.rowsReadAt) {
    // Read before a restart: only its fetches were left, and the worker settles those.
    await settle(runtime, importId, progress);
    return;
  }
  const intents = new Set(
    (
      await db
        .select({ rowNumber: importRows.rowNumber })
        .from(importRows)
        .where(and(eq(importRows.importId, importId), gt(importRows.rowNumber, job.lastRow), eq(importRows.outcome, 'created')))
    ).map((row) => row.rowNumber),
  );
  let cancelSeen = job.cancelRequested;
  // First row of each playlist in this file: a later row with the same playlist is a duplicate of it.
  const firstRowOf = new Map<string, number>();
  let chunk: ImportRow[] = [];

  const commit = async () => {
    if (chunk.length === 0) return;
    const rowsOfChunk = chunk;
    chunk = [];
    const outcomes = new Map<number, Outcome>();
    const counters: ImportCounters = { processed: 0, created: 0, duplicates: 0, failed: 0 };
    const record = (row: ImportRow, outcome: RowOutcome, reason: string | null, playlistId: string | null = null) => {
      outcomes.set(row.rowNumber, { rowNumber: row.rowNumber, rawValue: row.rawValue, outcome, reason, playlistId });
      countOutcome(counters, outcome);
    };
    const candidates: ImportRow[] = [];
    for (const row of rowsOfChunk) {
      if (row.problem || !row.spotifyId) record(row, 'failed', row.problem ?? 'not a playlist');
      else if (firstRowOf.has(row.spotifyId)) record(row, 'duplicate', `the same playlist as row ${firstRowOf.get(row.spotifyId)}`);
      else {
        firstRowOf.set(row.spotifyId, row.rowNumber);
        candidates.push(row);
      }
    }
    const [row] = await runtime.log.transaction(async (tx) => {
      const tracked = candidates.length
        ? await tx.db
            .select({ id: playlists.id, spotifyId: playlists.spotifyId })
            .from(playlists)
            .where(and(eq(playlists.workspaceId, workspaceId), inArray(playlists.spotifyId, candidates.map((row) => row.spotifyId!))))
        : [];
      const trackedIds = new Map(tracked.map((playlist) => [playlist.spotifyId, playlist.id]));
      const added = await addPendingPlaylists(
        tx,
        workspaceId,
        candidates.filter((row) => !trackedIds.has(row.spotifyId!)).map((row) => ({ spotifyId: row.spotifyId!, name: row.name, tags: row.tags })),
        { importId, maxAttempts: config.JOB_MAX_ATTEMPTS },
      );
      let toFetch = 0;
      for (const candidate of candidates) {
        const spotifyId = candidate.spotifyId!;
        const existing = trackedIds.get(spotifyId);
        const mine = added.get(spotifyId);
        if (mine) {
          toFetch++;
          record(candidate, 'created', null, mine);
        } else if (existing && intents.has(candidate.rowNumber)) {
          // This run's own add (the previous version's), committed just before the process died.
          record(candidate, 'created', null, existing);
        } else {
          // Already tracked, or added by someone else between the lookup and the insert.
          record(candidate, 'duplicate', 'already tracked in this workspace', existing ?? null);
        }
      }
      // One array per column (unnest): a chunk of hundreds of rows is one short statement to build and parse.
      const recorded = rowsOfChunk.map((r) => outcomes.get(r.rowNumber)!);
      const column = <K extends keyof Outcome>(key: K) => sql.param(recorded.map((o) => o[key]));
      await tx.db.execute(sql`
        INSERT INTO ${importRows} (workspace_id, import_id, row_number, raw_value, outcome, reason, playlist_id)
        SELECT ${workspaceId}, ${importId}, * FROM unnest(${column('rowNumber')}::int[], ${column('rawValue')}::text[], ${column('outcome')}::text[], ${column('reason')}::text[], ${column('playlistId')}::text[])
        ON CONFLICT (import_id, row_number) DO UPDATE
          SET outcome = excluded.outcome, reason = excluded.reason, playlist_id = excluded.playlist_id, raw_value = excluded.raw_value`);
      return tx.db
        .update(imports)
        .set({
          processed: sql`${imports.processed} + ${counters.processed}`,
          created: sql`${imports.created} + ${counters.created}`,
          duplicates: sql`${imports.duplicates} + ${counters.duplicates}`,
          failed: sql`${imports.failed} + ${counters.failed}`,
          toFetch: sql`${imports.toFetch} + ${toFetch}`,
          lastRow: rowsOfChunk.at(-1)!.rowNumber,
          updatedAt: new Date(),
        })
        .where(eq(imports.id, importId))
        .returning();
    });
    // A cancel from another process (or a request this one's importer missed) shows up here.
    if (row?.cancelRequested) cancelSeen = true;
    if (row) progress.report(row);
  };

  let stoppedEarly = false;
  try {
    progress.report(job, { final: true });
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
      chunk.push(row);
      if (chunk.length >= config.IMPORT_COMMIT_EVERY_ROWS) await commit();
    }
    if (!stoppedEarly) await commit();
  } catch (error) {
    if (signal.reason === 'shutdown') return progress.close();
    const reason = `The import stopped: ${error instanceof Error ? error.message : String(error)}`;
    await finishImport(runtime, importId, 'failed', { error: reason });
    // Its playlists still waiting to be fetched go with it (best effort: the database may be what failed).
    await cancelImportFetches(runtime, importId, 'the import failed before this playlist was fetched; import the row again to add it').catch(() => {});
    const [failed] = await db.select().from(imports).where(eq(imports.id, importId)).catch(() => []);
    if (failed) progress.report(failed, { final: true });
    return progress.close();
  }
  // Shutting down: leave it running; the next start resumes after last_row.
  if (stoppedEarly && signal.reason === 'shutdown' && !cancelSeen) return progress.close();
  // The flag is read in the same update that marks the rows read: a cancel either sees the
  // import read (and drops its fetches itself) or is seen here.
  const [read] = await db
    .update(imports)
    .set({ rowsReadAt: new Date(), updatedAt: new Date(), ...(stoppedEarly || cancelSeen ? { cancelRequested: true } : {}) })
    .where(and(eq(imports.id, importId), eq(imports.status, 'running')))
    .returning({ cancelRequested: imports.cancelRequested });
  const cancelled = stoppedEarly || cancelSeen || Boolean(read?.cancelRequested);
  if (cancelled) await cancelImportFetches(runtime, importId);
  await settle(runtime, importId, progress);
}

/** Finishes the import if its last fetch has settled already (or it had nothing to fetch); publishes where it stands. */
async function settle(runtime: Runtime, importId: string, progress: ImportProgress): Promise<void> {
  const { row, finished } = await runtime.log.transaction(async (tx) => {
    const [row] = await tx.db.select().from(imports).where(eq(imports.id, importId)).for('update');
    return { row: row as ImportRecord | undefined, finished: row ? await finishIfSettled(tx, row) : null };
  });
  if (row) progress.report(finished ?? row, { final: true });
  progress.close();
}
