import { and, asc, desc, eq, getTableColumns, gt } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { toDto } from '../db/dto';
import { importRows, imports } from '../db/schema';

// Everything but the stored file (summaries stay small however large the upload was) and the
// lease, which names a process and is nobody's business outside the cluster.
const { csv: _csv, leaseOwner: _owner, leaseExpiresAt: _until, ...summaryColumns } = getTableColumns(imports);

export type ImportDto = Omit<ReturnType<typeof toDto<typeof imports.$inferSelect>>, 'csv' | 'leaseOwner' | 'leaseExpiresAt'>;

export async function getImport(db: Executor, workspaceId: string, importId: string): Promise<ImportDto | null> {
  const [row] = await db
    .select(summaryColumns)
    .from(imports)
    .where(and(eq(imports.workspaceId, workspaceId), eq(imports.id, importId)));
  return row ? toDto(row) : null;
}

export async function listImports(db: Executor, workspaceId: string, limit = 50): Promise<ImportDto[]> {
  const found = await db
    .select(summaryColumns)
    .from(imports)
    .where(eq(imports.workspaceId, workspaceId))
    .orderBy(desc(imports.createdAt), desc(imports.id))
    .limit(limit);
  return found.map(toDto);
}

export interface ImportErrorRow {
  rowNumber: number;
  /** The row as CSV text: url,name,tags (and any extra cells it had). */
  rawValue: string;
  reason: string;
}

/** One page of an import's failed rows in row order; pass `nextCursor` back for the next page. */
export async function listImportErrors(
  db: Executor,
  workspaceId: string,
  importId: string,
  opts: { cursor?: number | null; limit?: number } = {},
): Promise<{ items: ImportErrorRow[]; nextCursor: number | null }> {
  const limit = opts.limit ?? 100;
  const found = await db
    .select({ rowNumber: importRows.rowNumber, rawValue: importRows.rawValue, reason: importRows.reason })
    .from(importRows)
    .where(
      and(
        eq(importRows.workspaceId, workspaceId),
        eq(importRows.importId, importId),
        eq(importRows.outcome, 'failed'),
        gt(importRows.rowNumber, opts.cursor ?? 0),
      ),
    )
    .orderBy(asc(importRows.rowNumber))
    .limit(limit + 1);
  const items = found.slice(0, limit).map((row) => ({ ...row, reason: row.reason ?? 'failed' }));
  return { items, nextCursor: found.length > limit ? items.at(-1)!.rowNumber : null };
}
