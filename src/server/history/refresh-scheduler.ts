/**
 * The refresh scheduler: every fetched playlist whose last fetch is older than
 * PLAYLIST_REFRESH_INTERVAL_MS gets a refresh job (history/refresh-jobs.ts: bulk priority, on the
 * job board), which the worker's fetch loops run like an import's fetches. Each refresh records
 * the playlist's added and dropped tracks, so the weekly history fills by itself.
 *
 * One instance of a cluster enqueues at a time: a pass runs under a transaction-scoped advisory
 * lock that it only tries for (an instance that finds it taken skips its pass), and a playlist with
 * an active refresh job, or one queued within the interval (a refresh that failed waits for the
 * next interval instead of being retried every check), is never enqueued again. So whichever
 * instances run the scheduler, and however their checks interleave, a due playlist gets one job.
 */
import { and, asc, eq, gt, inArray, isNull, lt, notExists, or, sql } from 'drizzle-orm';
import { logActivities } from '../activity/log-activity';
import { enrichmentJobs, playlists } from '../db/schema';
import { rows } from '../db/database';
import { startTimer, type StoppableTimer } from '../enrichment/stoppable-timer';
import { JOB_PRIORITY } from '../jobs/job-priority';
import { log } from '../log';
import type { Runtime } from '../runtime';
import { emitRefreshStatus, isRefreshJobSql, REFRESH_PHASES } from './refresh-jobs';

/** Jobs one pass enqueues at most: a backlog (a large import's playlists coming due together) drains over a few checks. */
export const REFRESHES_PER_PASS = 1000;

/** How often the scheduler looks for due playlists: a tenth of the interval, at most every minute. */
export function refreshCheckMs(intervalMs: number): number {
  return Math.max(50, Math.min(Math.floor(intervalMs / 10), 60_000));
}

/**
 * One pass: enqueues a refresh job for each due playlist (oldest fetch first, at most `limit`);
 * returns how many. 0 when none is due, or when another instance is enqueuing right now.
 */
export async function enqueueDueRefreshes(runtime: Pick<Runtime, 'log' | 'config'>, limit = REFRESHES_PER_PASS): Promise<number> {
  const intervalMs = runtime.config.PLAYLIST_REFRESH_INTERVAL_MS;
  if (intervalMs <= 0) return 0;
  const before = sql`now() - ${intervalMs} * interval '1 millisecond'`;
  return runtime.log.transaction(async (tx) => {
    const [lock] = await rows<{ locked: boolean }>(tx.db, sql`SELECT pg_try_advisory_xact_lock(hashtext('refresh-scheduler')) AS locked`);
    if (!lock?.locked) return 0;
    const recentRefresh = tx.db
      .select({ one: sql`1` })
      .from(enrichmentJobs)
      .where(and(eq(enrichmentJobs.playlistId, playlists.id), isRefreshJobSql, or(inArray(enrichmentJobs.status, ['queued', 'running']), gt(enrichmentJobs.createdAt, before))));
    const due = await tx.db
      .select({ id: playlists.id, workspaceId: playlists.workspaceId })
      .from(playlists)
      .where(and(eq(playlists.fetchStatus, 'fetched'), or(isNull(playlists.lastFetchedAt), lt(playlists.lastFetchedAt, before)), notExists(recentRefresh)))
      .orderBy(asc(playlists.lastFetchedAt), asc(playlists.id))
      .limit(limit);
    if (due.length === 0) return 0;
    const jobs = await tx.db
      .insert(enrichmentJobs)
      .values(
        due.map((playlist) => ({
          workspaceId: playlist.workspaceId,
          playlistId: playlist.id,
          kind: 'fetch' as const,
          phases: REFRESH_PHASES,
          priority: JOB_PRIORITY.bulk,
          maxAttempts: runtime.config.JOB_MAX_ATTEMPTS,
        })),
      )
      .returning();
    for (const job of jobs) emitRefreshStatus(tx, job, null);
    const perWorkspace = new Map<string, number>();
    for (const job of jobs) perWorkspace.set(job.workspaceId, (perWorkspace.get(job.workspaceId) ?? 0) + 1);
    await logActivities(
      tx,
      [...perWorkspace].map(([workspaceId, count]) => ({
        workspaceId,
        kind: 'refresh_scheduled',
        message: `Scheduled refresh of ${count} playlist${count === 1 ? '' : 's'} queued (last fetched more than ${describeInterval(intervalMs)} ago).`,
      })),
    );
    return jobs.length;
  });
}

/** Checks for due playlists every refreshCheckMs; null when scheduled refreshes are off (PLAYLIST_REFRESH_INTERVAL_MS=0). */
export function startRefreshScheduler(runtime: Runtime): StoppableTimer | null {
  const intervalMs = runtime.config.PLAYLIST_REFRESH_INTERVAL_MS;
  if (intervalMs <= 0) return null;
  return startTimer(refreshCheckMs(intervalMs), async () => {
    try {
      const queued = await enqueueDueRefreshes(runtime);
      if (queued > 0) log.info({ queued }, 'queued scheduled playlist refreshes');
    } catch (error) {
      log.warn({ err: error }, 'scheduling playlist refreshes failed');
    }
  });
}

function describeInterval(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size) {
      const count = Math.round(ms / size);
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}
