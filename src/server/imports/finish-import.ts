/**
 * Ends an import: its final status, the durable bulk_import_finished with the summary, and the
 * activity row, in one transaction. Only an import still queued or running can finish, so a
 * cancel racing the last row (or the last fetch) finishes it once. A finished import holds no
 * lease (import-lease.ts).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import { imports, type ImportStatus } from '../db/schema';
import type { Tx } from '../events/event-log';
import type { Runtime } from '../runtime';
import { noLease } from './import-lease';

export type FinalStatus = Extract<ImportStatus, 'completed' | 'failed' | 'cancelled'>;
export type ImportRecord = typeof imports.$inferSelect;

export interface FinishOptions {
  error?: string | null;
  from?: ImportStatus[];
  /** Only while this owner holds the import's lease: a runner that lost it must not fail an import another instance now reads. */
  heldBy?: string;
}

/** Returns false when the import had already finished (or is not in one of `from`). */
export async function finishImport(runtime: Runtime, importId: string, status: FinalStatus, opts: FinishOptions = {}): Promise<boolean> {
  return runtime.log.transaction(async (tx) => (await finishImportIn(tx, importId, status, opts)) !== null);
}

/** finishImport in the caller's transaction (the one that settles the last row or fetch); the finished row, or null. */
export async function finishImportIn(tx: Tx, importId: string, status: FinalStatus, opts: FinishOptions = {}): Promise<ImportRecord | null> {
  const now = new Date();
  const [row] = await tx.db
    .update(imports)
    .set({ status, error: opts.error ?? null, finishedAt: now, updatedAt: now, cancelRequested: false, ...noLease })
    .where(
      and(
        eq(imports.id, importId),
        inArray(imports.status, opts.from ?? ['queued', 'running']),
        opts.heldBy === undefined ? undefined : eq(imports.leaseOwner, opts.heldBy),
      ),
    )
    .returning();
  if (!row) return null;
  const durationMs = Math.max(0, now.getTime() - (row.startedAt ?? row.createdAt).getTime());
  tx.emit({
    type: 'bulk_import_finished',
    workspaceId: row.workspaceId,
    keys: { importId },
    data: {
      importId,
      status,
      processed: row.processed,
      created: row.created,
      duplicates: row.duplicates,
      failed: row.failed,
      total: row.total,
      toFetch: row.toFetch,
      fetched: row.fetched,
      fetchFailed: row.fetchFailed,
      durationMs,
      error: row.error,
    },
  });
  const file = row.filename ?? 'CSV file';
  const summary = `${row.created} added, ${row.duplicates} duplicates, ${row.failed} failed`;
  const message =
    status === 'completed'
      ? `Imported ${file}: ${summary}.`
      : status === 'cancelled'
        ? `Import of ${file} cancelled after ${row.processed} of ${row.total ?? '?'} rows: ${summary}.`
        : `Import of ${file} failed after ${row.processed} rows: ${row.error ?? 'unknown error'}.`;
  await logActivity(tx, { workspaceId: row.workspaceId, kind: `import_${status}`, message, keys: { importId } });
  return row;
}

/**
 * Finishes a running import once every row has its final outcome: intake read them all (or
 * stopped on a cancel) and every playlist it queued is fetched or failed. Call it in the
 * transaction that moved the counters, with the row that transaction returned.
 */
export async function finishIfSettled(tx: Tx, row: ImportRecord): Promise<ImportRecord | null> {
  if (row.status !== 'running' || !row.rowsReadAt || row.fetched + row.fetchFailed < row.toFetch) return null;
  return finishImportIn(tx, row.id, row.cancelRequested ? 'cancelled' : 'completed');
}
