/**
 * Cancels an import. A queued one is cancelled at once. A running one is flagged (so a run in
 * another process sees it at its next commit): its reading stops at the next chunk, its
 * remaining fetches are dropped (their rows failed with the reason, so the error report lists
 * them to import again), and it finishes as cancelled once the fetches in flight have settled.
 * A finished import cannot be cancelled.
 */
import { and, eq } from 'drizzle-orm';
import { imports } from '../db/schema';
import type { Runtime } from '../runtime';
import { cancelImportFetches } from './cancel-import-fetches';
import { finishImport } from './finish-import';
import { ImportError } from './import-error';
import { importerFor } from './importer';
import { getImport, type ImportDto } from './queries';

export async function cancelImport(runtime: Runtime, workspaceId: string, importId: string): Promise<ImportDto> {
  const current = await getImport(runtime.db, workspaceId, importId);
  if (!current) throw new ImportError('NOT_FOUND', `Import ${importId} was not found in this workspace.`);
  if (current.status !== 'queued' && current.status !== 'running') {
    throw new ImportError('ALREADY_FINISHED', `Import ${importId} has already ${current.status === 'completed' ? 'completed' : current.status}; there is nothing to cancel.`);
  }
  const cancelledWhileQueued = await finishImport(runtime, importId, 'cancelled', { from: ['queued'] });
  if (!cancelledWhileQueued) {
    const [flagged] = await runtime.db
      .update(imports)
      .set({ cancelRequested: true, updatedAt: new Date() })
      .where(and(eq(imports.id, importId), eq(imports.status, 'running')))
      .returning({ rowsReadAt: imports.rowsReadAt });
    importerFor(runtime).cancel(importId);
    // Still reading: the run drops the fetches when it stops (it may queue one more chunk's first).
    if (flagged?.rowsReadAt) await cancelImportFetches(runtime, importId);
  }
  return (await getImport(runtime.db, workspaceId, importId))!;
}
