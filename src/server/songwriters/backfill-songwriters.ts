/**
 * Songwriter records for tracks enriched before they existed: at start, each workspace with
 * completed, credited tracks and no songwriter credit at all gets its credits built and its
 * songwriters scored (sync-credits.ts: chunked transactions, so the app keeps answering).
 * A workspace enriched since has credits already, so this finds nothing after the first run.
 */
import { sql } from 'drizzle-orm';
import { rows } from '~/server/db/database';
import { log } from '~/server/log';
import type { Runtime } from '~/server/runtime';
import { syncWorkspaceCredits } from './sync-credits';

export async function backfillSongwriters(runtime: Runtime): Promise<void> {
  const due = await rows<{ workspace_id: string }>(
    runtime.db,
    sql`SELECT DISTINCT t.workspace_id FROM tracks t
        WHERE t.enrichment_status = 'completed' AND (t.songwriters IS NOT NULL OR t.writers IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM songwriter_credits c WHERE c.workspace_id = t.workspace_id)`,
  );
  for (const { workspace_id: workspaceId } of due) {
    const done = await syncWorkspaceCredits(runtime, workspaceId);
    log.info({ workspaceId, ...done }, 'songwriter records built for tracks enriched before they existed');
  }
}
