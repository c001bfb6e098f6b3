import { and, desc, eq, getTableColumns } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { toDto } from '../db/dto';
import { imports } from '../db/schema';

// Everything but the stored file: summaries stay small however large the upload was.
const { csv: _csv, ...summaryColumns } = getTableColumns(imports);

export type ImportDto = Omit<ReturnType<typeof toDto<typeof imports.$inferSelect>>, 'csv'>;

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
