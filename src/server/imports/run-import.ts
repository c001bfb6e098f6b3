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
 * One runner per import (import-lease.ts): the run holds the import's lease. Each chunk's
 * transaction first renews it, which locks the import row, and checks that last_row is still
 * where this run left it; if either fails, another instance has the import and this run stops
 * with nothing of the chunk written. A timer renews the lease between chunks too. A shutdown
 * releases the lease as soon as the run stops, so another instance continues at once.
 *
 * When every row is read (or a cancel stops the reading) the import is marked read and its lease
 * cleared; it finishes in that transaction when there is nothing left to fetch, or in the one
 * that settles its last fetch.
 */
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { importRows, imports, playlists } from '../db/schema';
import { log } from '../log';
import { addPendingPlaylists } from '../playlists/add-pending-playlists';
import type { Runtime } from '../runtime';
import { cancelImportFetches } from './cancel-import-fetches';
import { finishIfSettled, finishImport, type ImportRecord } from './finish-import';
import { countOutcome, type ImportCounters, type RowOutcome } from './import-counters';
import { ImportLeaseLostError, keepImportLease, noLease, releaseImportLease, renewImportLease } from './import-lease';
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

/** One run of one import: what it knows between chunks. */
interface Run {
  runtime: Runtime;
  importId: string;
  workspaceId: string;
  owner: string;
  progress: ImportProgress;
  /** The last row this run knows committed; a chunk commits only if the import still says so. */
  committedRow: number;
  /** Rows past last_row with a committed `created` intent (the previous version's; see the file's comment). */
  intents: Set<number>;
  /** First row of each playlist in this file: a later row with the same playlist is a duplicate of it. */
  firstRowOf: Map<string, number>;
  cancelSeen: boolean;
}

/** How reading ended: every row read, stopped (cancel or shutdown), the lease lost, or an error. */
type ReadEnd = 'read' | 'stopped' | 'lost' | { error: unknown };

export async function runImport(runtime: Runtime, importId: string, owner: string, signal: AbortSignal): Promise<void> {
  const { db, config } = runtime;
  const [job] = await db.select().from(imports).where(eq(imports.id, importId));
  // Not ours (any more): another instance took it, it finished, or its rows are read already.
  if (!job || job.status !== 'running' || job.rowsReadAt || job.leaseOwner !== owner) return;
  const run: Run = {
    runtime,
    importId,
    workspaceId: job.workspaceId,
    owner,
    progress: new ImportProgress(runtime, { importId, workspaceId: job.workspaceId }, job),
    committedRow: job.lastRow,
    intents: await intentsPast(runtime, importId, job.lastRow),
    firstRowOf: new Map(),
    cancelSeen: job.cancelRequested,
  };
  const lease = keepImportLease(db, importId, owner, config.IMPORT_LEASE_MS);
  let end: ReadEnd;
  try {
    run.progress.report(job, { final: true });
    end = await readRows(run, job, signal, lease);
  } finally {
    await lease.stop();
  }

  if (end === 'lost') {
    log.info({ importId }, 'the import lease passed to another instance; this run stops');
    return run.progress.close();
  }
  // Shutting down (an error then is most likely the database closing): leave it running, and
  // let the lease go so another instance continues after last_row without waiting for it to lapse.
  if (signal.reason === 'shutdown' && (typeof end === 'object' || (end === 'stopped' && !run.cancelSeen))) {
    await releaseImportLease(db, importId, owner).catch((error: unknown) => log.warn({ err: error, importId }, 'could not release the import lease'));
    return run.progress.close();
  }
  if (typeof end === 'object') return failRun(run, end.error);
  await markRowsRead(run, end === 'stopped' || run.cancelSeen);
}

/** Rows past last_row whose `created` outcome was committed ahead of last_row (only an import left by the previous version has them). */
async function intentsPast(runtime: Runtime, importId: string, lastRow: number): Promise<Set<number>> {
  const rows = await runtime.db
    .select({ rowNumber: importRows.rowNumber })
    .from(importRows)
    .where(and(eq(importRows.importId, importId), gt(importRows.rowNumber, lastRow), eq(importRows.outcome, 'created')));
  return new Set(rows.map((row) => row.rowNumber));
}

/** Reads the file from the row after last_row, committing a chunk at a time, until the end, a stop or a lost lease. */
async function readRows(run: Run, job: ImportRecord, signal: AbortSignal, lease: { readonly lost: boolean }): Promise<ReadEnd> {
  const { config } = run.runtime;
  let chunk: ImportRow[] = [];
  try {
    for await (const row of readImportRows(job.csv, { maxRecordBytes: config.IMPORT_MAX_RECORD_BYTES })) {
      if (row.rowNumber <= job.lastRow) {
        // Committed before a restart or takeover: only remember which playlists the file already had.
        if (row.spotifyId && !run.firstRowOf.has(row.spotifyId)) run.firstRowOf.set(row.spotifyId, row.rowNumber);
        continue;
      }
      if (lease.lost) return 'lost';
      if (signal.aborted || run.cancelSeen) return 'stopped';
      chunk.push(row);
      if (chunk.length >= config.IMPORT_COMMIT_EVERY_ROWS) {
        await commitChunk(run, chunk);
        chunk = [];
      }
    }
    await commitChunk(run, chunk);
    return 'read';
  } catch (error) {
    return error instanceof ImportLeaseLostError ? 'lost' : { error };
  }
}

/**
 * Records a chunk's outcomes in one transaction that first renews the lease (locking the import
 * row) and checks last_row: a run that lost the import throws ImportLeaseLostError before it
 * writes anything, and the whole transaction rolls back.
 */
async function commitChunk(run: Run, rowsOfChunk: ImportRow[]): Promise<void> {
  if (rowsOfChunk.length === 0) return;
  const { runtime, importId, workspaceId, owner } = run;
  const outcomes = new Map<number, Outcome>();
  const counters: ImportCounters = { processed: 0, created: 0, duplicates: 0, failed: 0 };
  const record = (row: ImportRow, outcome: RowOutcome, reason: string | null, playlistId: string | null = null) => {
    outcomes.set(row.rowNumber, { rowNumber: row.rowNumber, rawValue: row.rawValue, outcome, reason, playlistId });
    countOutcome(counters, outcome);
  };
  const candidates: ImportRow[] = [];
  for (const row of rowsOfChunk) {
    if (row.problem || !row.spotifyId) record(row, 'failed', row.problem ?? 'not a playlist');
    else if (run.firstRowOf.has(row.spotifyId)) record(row, 'duplicate', `the same playlist as row ${run.firstRowOf.get(row.spotifyId)}`);
    else {
      run.firstRowOf.set(row.spotifyId, row.rowNumber);
      candidates.push(row);
    }
  }
  const [row] = await runtime.log.transaction(async (tx) => {
    const held = await renewImportLease(tx.db, importId, owner, runtime.config.IMPORT_LEASE_MS);
    // Same owner, but rows committed by someone else since: this run is a stale copy (its own
    // instance took the import back after a stall), so its place in the file is wrong.
    if (held.lastRow !== run.committedRow) throw new ImportLeaseLostError(importId);
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
      { importId, maxAttempts: runtime.config.JOB_MAX_ATTEMPTS },
    );
    let toFetch = 0;
    for (const candidate of candidates) {
      const spotifyId = candidate.spotifyId!;
      const existing = trackedIds.get(spotifyId);
      const mine = added.get(spotifyId);
      if (mine) {
        toFetch++;
        record(candidate, 'created', null, mine);
      } else if (existing && run.intents.has(candidate.rowNumber)) {
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
  run.committedRow = rowsOfChunk.at(-1)!.rowNumber;
  // A cancel from another process (or a request this one's importer missed) shows up here.
  if (row?.cancelRequested) run.cancelSeen = true;
  if (row) run.progress.report(row);
}

/**
 * Every row read, or a cancel stopped the reading: marks the import read and clears its lease
 * (it needs no runner now), and finishes it in the same transaction if nothing is left to fetch,
 * so no state is left where a runner would have to come back to finish it.
 */
async function markRowsRead(run: Run, stoppedByCancel: boolean): Promise<void> {
  const { runtime, importId, owner } = run;
  // The flag is read in the same update that marks the rows read: a cancel either sees the
  // import read (and drops its fetches itself) or is seen here.
  const read = await runtime.log.transaction(async (tx) => {
    const [row] = await tx.db
      .update(imports)
      .set({ rowsReadAt: new Date(), updatedAt: new Date(), ...noLease, ...(stoppedByCancel ? { cancelRequested: true } : {}) })
      .where(
        and(
          eq(imports.id, importId),
          eq(imports.status, 'running'),
          eq(imports.leaseOwner, owner),
          eq(imports.lastRow, run.committedRow),
          isNull(imports.rowsReadAt),
        ),
      )
      .returning();
    return row ? { row, finished: await finishIfSettled(tx, row) } : null;
  });
  if (!read) {
    log.info({ importId }, 'the import lease passed to another instance before its rows were marked read');
    return run.progress.close();
  }
  run.progress.report(read.finished ?? read.row, { final: true });
  run.progress.close();
  // Its queued fetches go; the last of those transactions finishes it as cancelled (and reports).
  if (read.row.cancelRequested && !read.finished) await cancelImportFetches(runtime, importId);
}

/** An error stopped the reading: the import fails, if this run still holds it. */
async function failRun(run: Run, error: unknown): Promise<void> {
  const { runtime, importId, owner } = run;
  const reason = `The import stopped: ${error instanceof Error ? error.message : String(error)}`;
  const failed = await finishImport(runtime, importId, 'failed', { error: reason, heldBy: owner });
  if (failed) {
    // Its playlists still waiting to be fetched go with it (best effort: the database may be what failed).
    await cancelImportFetches(runtime, importId, 'the import failed before this playlist was fetched; import the row again to add it').catch(() => {});
    const [row] = await runtime.db.select().from(imports).where(eq(imports.id, importId)).catch(() => []);
    if (row) run.progress.report(row, { final: true });
  }
  run.progress.close();
}
