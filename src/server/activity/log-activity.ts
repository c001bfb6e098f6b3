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

/** Many activity rows in one statement, each with its activity_logged event (a batch of imported playlists). */
export async function logActivities(tx: Tx, inputs: readonly ActivityInput[]) {
  if (inputs.length === 0) return [];
  const values = inputs.map((input) => ({
    id: crypto.randomUUID(),
    workspaceId: input.workspaceId,
    kind: input.kind,
    message: input.message,
    playlistId: input.keys?.playlistId ?? null,
    jobId: input.keys?.jobId ?? null,
    importId: input.keys?.importId ?? null,
    trackId: input.keys?.trackId ?? null,
  }));
  const inserted = new Map((await tx.db.insert(activity).values(values).returning()).map((row) => [row.id, row]));
  // Emitted in input order (the ids were made here), whatever order RETURNING gives.
  return values.map((value, i) => {
    const row = inserted.get(value.id)!;
    tx.emit({
      type: 'activity_logged',
      workspaceId: row.workspaceId,
      keys: inputs[i]!.keys ?? {},
      data: { activityId: row.id, kind: row.kind, message: row.message, createdAt: row.createdAt.toISOString() },
    });
    return row;
  });
}
