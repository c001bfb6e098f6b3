/**
 * A person's saved explorer views: private to their owner (another member, even an admin, neither
 * sees nor removes them), kept per workspace, one per name (saving a name again overwrites it).
 * Each change emits saved_view_changed, which only the owner's streams carry, so their other tabs
 * follow.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '~/server/db/database';
import { savedViews } from '~/server/db/schema';
import type { Tx } from '~/server/events/event-log';
import type { Runtime } from '~/server/runtime';
import { ViewError } from './view-error';

type ViewRow = typeof savedViews.$inferSelect;

export interface SavedViewDto {
  id: string;
  name: string;
  query: string;
  createdAt: string;
  updatedAt: string;
}

export interface ViewOwner {
  workspaceId: string;
  /** The signed-in person; an API key (null) acts for the workspace and has no views. */
  userId: string | null;
}

function viewDto(row: ViewRow): SavedViewDto {
  return { id: row.id, name: row.name, query: row.query, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

function personOf(owner: ViewOwner): string {
  if (!owner.userId) throw new ViewError('VIEW_NEEDS_PERSON', 'Saved views belong to a person, and an API key acts for the workspace: sign in to save or remove a view.');
  return owner.userId;
}

/** The caller's own views by name; none for an API key. */
export async function listSavedViews(db: Executor, owner: ViewOwner): Promise<SavedViewDto[]> {
  if (!owner.userId) return [];
  const found = await db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.workspaceId, owner.workspaceId), eq(savedViews.userId, owner.userId)))
    .orderBy(sql`lower(${savedViews.name})`, asc(savedViews.id));
  return found.map(viewDto);
}

export async function saveView(runtime: Runtime, owner: ViewOwner, input: { name: string; query: string }): Promise<SavedViewDto> {
  const userId = personOf(owner);
  return runtime.log.transaction(async (tx) => {
    const [row] = await tx.db
      .insert(savedViews)
      .values({ workspaceId: owner.workspaceId, userId, name: input.name, query: input.query })
      .onConflictDoUpdate({ target: [savedViews.workspaceId, savedViews.userId, savedViews.name], set: { query: input.query, updatedAt: sql`now()` } })
      .returning();
    emitViewChanged(tx, row!, false);
    return viewDto(row!);
  });
}

export async function removeView(runtime: Runtime, owner: ViewOwner, viewId: string): Promise<{ id: string }> {
  const userId = personOf(owner);
  return runtime.log.transaction(async (tx) => {
    const [row] = await tx.db
      .delete(savedViews)
      .where(and(eq(savedViews.workspaceId, owner.workspaceId), eq(savedViews.userId, userId), eq(savedViews.id, viewId)))
      .returning();
    // Another person's view is as unknown to the caller as one that never existed.
    if (!row) throw new ViewError('VIEW_NOT_FOUND', `Saved view ${viewId} was not found among your views in this workspace.`);
    emitViewChanged(tx, row, true);
    return { id: row.id };
  });
}

function emitViewChanged(tx: Tx, row: ViewRow, removed: boolean): void {
  tx.emit({
    type: 'saved_view_changed',
    workspaceId: row.workspaceId,
    keys: {},
    data: { viewId: row.id, userId: row.userId, name: row.name, query: removed ? null : row.query, removed },
  });
}
