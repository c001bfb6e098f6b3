/**
 * Starts an import: checks the file (size, text, CSV, row count) before writing anything,
 * stores it with its row count in one transaction with the start's activity row, and hands it to
 * the importer. Returns at once; the rows are read in the background, and the new playlists are
 * fetched by the worker's fetch loops.
 */
import { logActivity } from '../activity/log-activity';
import { imports } from '../db/schema';
import type { Runtime } from '../runtime';
import { checkCsvText } from './csv-text';
import { importerFor } from './importer';
import { ImportProgress, noCounts } from './import-progress';
import { inspectCsv } from './import-rows';

export interface StartImportInput {
  csv: string;
  filename?: string | null;
}

export async function startImport(runtime: Runtime, workspaceId: string, input: StartImportInput): Promise<{ importId: string }> {
  const { config } = runtime;
  const csv = checkCsvText(input.csv, config.IMPORT_MAX_BYTES);
  const { rows } = await inspectCsv(csv, { maxRecordBytes: config.IMPORT_MAX_RECORD_BYTES, maxRows: config.IMPORT_MAX_ROWS });
  const filename = cleanFilename(input.filename);
  const importId = await runtime.log.transaction(async (tx) => {
    const [row] = await tx.db.insert(imports).values({ workspaceId, filename, csv, total: rows, status: 'queued' }).returning({ id: imports.id });
    const importId = row!.id;
    await logActivity(tx, {
      workspaceId,
      kind: 'import_started',
      message: `Import of ${filename ?? 'a CSV file'} started: ${rows} ${rows === 1 ? 'row' : 'rows'}.`,
      keys: { importId },
    });
    return importId;
  });
  // Subscribers learn of the import at once, queued, even when every slot is busy.
  new ImportProgress(runtime, { importId, workspaceId }).report({ ...noCounts, total: rows }, { final: true, status: 'queued' });
  void importerFor(runtime).schedule(workspaceId);
  return { importId };
}

/** A display name only: the base name, no control characters, bounded. */
function cleanFilename(name: string | null | undefined): string | null {
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base ? base.slice(0, 200) : null;
}
