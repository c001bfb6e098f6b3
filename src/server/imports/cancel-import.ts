/**
 * Cancels an import. A queued one is cancelled at once; a running one stops at its next row (the
 * run commits what it did and finishes it as cancelled). A finished import cannot be cancelled.
 */
import { and, eq } from 'drizzle-orm';
import { imports } from '../db/schema';
import type { Runtime } from '../runtime';
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
    // It started meanwhile (or was running): flag it, so even a run in another process sees it at its next commit.
    await runtime.db
      .update(imports)
      .set({ cancelRequested: true, updatedAt: new Date() })
      .where(and(eq(imports.id, importId), eq(imports.status, 'running')));
    importerFor(runtime).cancel(importId);
  }
  return (await getImport(runtime.db, workspaceId, importId))!;
}
