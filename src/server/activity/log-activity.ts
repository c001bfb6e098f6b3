/** Writes an activity-history row and its activity_logged event in the caller's transaction. */
import { activity } from '../db/schema';
import type { EventKeys } from '../events/catalog';
import type { Tx } from '../events/event-log';

export interface ActivityInput {
  workspaceId: string;
  kind: string;
  message: string;
  keys?: EventKeys;
}

export async function logActivity(tx: Tx, input: ActivityInput) {
  const keys = input.keys ?? {};
  const [row] = await tx.db
    .insert(activity)
    .values({
      workspaceId: input.workspaceId,
      kind: input.kind,
      message: input.message,
      playlistId: keys.playlistId ?? null,
      jobId: keys.jobId ?? null,
      importId: keys.importId ?? null,
      trackId: keys.trackId ?? null,
    })
    .returning();
  tx.emit({
    type: 'activity_logged',
    workspaceId: input.workspaceId,
    keys,
    data: { activityId: row!.id, kind: row!.kind, message: row!.message, createdAt: row!.createdAt.toISOString() },
  });
  return row!;
}
