/**
 * Claims the next due enrichment job for a worker. `FOR UPDATE SKIP LOCKED` lets any number of
 * workers (threads or processes) claim at once: each locks a different row, none waits, none
 * double-claims. Interactive jobs go before an import's bulk ones (jobs/job-priority.ts); fetch
 * jobs have loops of their own (claim-fetch-jobs.ts).
 *
 * Per-workspace limit (JOB_CONCURRENCY_PER_WORKSPACE): a workspace's running enrich jobs are
 * counted in the database, across every worker of the cluster. The candidate query already skips
 * workspaces at their limit (so one busy workspace never hides other workspaces' jobs behind it),
 * and the count is taken again under a per-workspace advisory lock before the claim, because two
 * workers can both see the last free slot: the second one's recount, after the first committed,
 * sees it taken, and it moves on to another workspace's job.
 */
import { and, asc, count, eq, lte, notInArray, sql } from 'drizzle-orm';
import { claimedBy } from './claimed-by';
import { enrichmentJobs } from '../db/schema';
import { rows, type Executor } from '../db/database';
import type { EventLog } from '../events/event-log';
import { emitJobStatus, type JobRow } from './job-status-event';

/** Workspaces found full are left out and the next candidate tried; this bounds the tries of one claim. */
const MAX_CANDIDATES = 20;

/**
 * `perWorkspace`: running enrich jobs a workspace may have at once; omitted, no limit (tests that
 * claim by hand). The worker passes JOB_CONCURRENCY_PER_WORKSPACE.
 */
export async function claimNextJob(log: EventLog, workerId: string, leaseMs: number, perWorkspace = Number.POSITIVE_INFINITY): Promise<JobRow | null> {
  return log.transaction(async (tx) => {
    const full: string[] = [];
    for (let tries = 0; tries < MAX_CANDIDATES; tries++) {
      const candidate = await nextCandidate(tx.db, perWorkspace, full);
      if (!candidate) return null;
      if (Number.isFinite(perWorkspace)) {
        const locked = await lockSlots(tx.db, candidate.workspaceId, tries === 0);
        if (!locked || (await runningIn(tx.db, candidate.workspaceId)) >= perWorkspace) {
          full.push(candidate.workspaceId);
          continue;
        }
      }
      const [job] = await tx.db
        .update(enrichmentJobs)
        .set(claimedBy(workerId, leaseMs))
        .where(eq(enrichmentJobs.id, candidate.id))
        .returning();
      emitJobStatus(tx, job!, 'queued');
      return job!;
    }
    return null;
  });
}

/** The first due queued enrich job, locked, of a workspace below its limit and not in `full`. */
async function nextCandidate(db: Executor, perWorkspace: number, full: readonly string[]) {
  const belowLimit = Number.isFinite(perWorkspace)
    ? sql`(SELECT count(*) FROM ${enrichmentJobs} running WHERE running.workspace_id = ${enrichmentJobs.workspaceId} AND running.kind = 'enrich' AND running.status = 'running') < ${perWorkspace}`
    : undefined;
  const [candidate] = await db
    .select({ id: enrichmentJobs.id, workspaceId: enrichmentJobs.workspaceId })
    .from(enrichmentJobs)
    .where(
      and(
        eq(enrichmentJobs.kind, 'enrich'),
        eq(enrichmentJobs.status, 'queued'),
        lte(enrichmentJobs.runAfter, sql`now()`),
        full.length > 0 ? notInArray(enrichmentJobs.workspaceId, [...full]) : undefined,
        belowLimit,
      ),
    )
    .orderBy(asc(enrichmentJobs.priority), asc(enrichmentJobs.runAfter), asc(enrichmentJobs.createdAt))
    .limit(1)
    .for('update', { skipLocked: true });
  return candidate ?? null;
}

/**
 * The workspace's slot lock, until the transaction ends. Only the first is waited for: a claim
 * that already holds one workspace's lock only tries the next (and passes over a workspace another
 * worker is claiming in), so two claims never wait for each other's locks in a cycle.
 */
async function lockSlots(db: Executor, workspaceId: string, wait: boolean): Promise<boolean> {
  const key = `job-slots:${workspaceId}`;
  if (wait) {
    await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`);
    return true;
  }
  const [row] = await rows<{ locked: boolean }>(db, sql`SELECT pg_try_advisory_xact_lock(hashtext(${key})) AS locked`);
  return row?.locked === true;
}

async function runningIn(db: Executor, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(enrichmentJobs)
    .where(and(eq(enrichmentJobs.workspaceId, workspaceId), eq(enrichmentJobs.kind, 'enrich'), eq(enrichmentJobs.status, 'running')));
  return Number(row?.n ?? 0);
}
