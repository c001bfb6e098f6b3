/**
 * Cluster membership, so that provider rate limits hold for the cluster as a whole.
 *
 * Each process that calls providers (it runs fetch or enrichment loops) has a row in
 * cluster_members and beats its heartbeat every CLUSTER_HEARTBEAT_MS (an unref'd timer: it never
 * keeps a process alive). A row not beaten for 3 heartbeats belongs to a process that is gone (it
 * was killed, or stalled): it is ignored, and pruned by whichever member beats next. A graceful
 * stop deletes its own row at once.
 *
 * On each beat the member counts the live members that call providers and gives every provider
 * limiter of its process that share of the configured rate (rate-limiter.ts, shareRateLimits): two
 * workers each take half, and when one stops beating the other takes the whole rate again. With
 * PGlite there is one process, so one member and the full rate. All times are database time, so
 * clocks that differ between machines do not matter.
 */
import { and, count, eq, gte, lt, sql } from 'drizzle-orm';
import { clusterMembers } from '../db/schema';
import { startTimer, type StoppableTimer } from '../enrichment/stoppable-timer';
import { log } from '../log';
import { shareRateLimits } from '../providers/rate-limiter';
import type { Runtime } from '../runtime';

/** Heartbeats a member may miss before it counts as gone. */
export const MISSED_BEATS_ALLOWED = 3;

export interface MemberInfo {
  id: string;
  kind: 'web' | 'worker';
  callsProviders: boolean;
}

export interface ClusterMember {
  readonly id: string;
  /** Beats now: refreshes this row, prunes dead ones, re-shares the rate. Returns the live members calling providers. */
  beat(): Promise<number>;
  /** Stops beating and deletes this row (a graceful stop). */
  stop(): Promise<void>;
}

// Members of this process still beating: the last one to stop gives the limiters the full rate back.
let beatingHere = 0;

/** Registers this process (or one of its services) and beats until stop(). */
export function joinCluster(runtime: Runtime, info: MemberInfo): ClusterMember {
  const heartbeatMs = runtime.config.CLUSTER_HEARTBEAT_MS;
  const horizon = sql`now() - ${heartbeatMs * MISSED_BEATS_ALLOWED} * interval '1 millisecond'`;
  let stopped = false;

  async function beat(): Promise<number> {
    const { db } = runtime;
    await db
      .insert(clusterMembers)
      .values({ id: info.id, kind: info.kind, callsProviders: info.callsProviders })
      .onConflictDoUpdate({ target: clusterMembers.id, set: { heartbeatAt: sql`now()`, callsProviders: info.callsProviders } });
    await db.delete(clusterMembers).where(lt(clusterMembers.heartbeatAt, horizon));
    const [row] = await db
      .select({ n: count() })
      .from(clusterMembers)
      .where(and(eq(clusterMembers.callsProviders, true), gte(clusterMembers.heartbeatAt, horizon)));
    const members = Math.max(1, Number(row?.n ?? 0));
    if (info.callsProviders && !stopped) shareRateLimits(members);
    return members;
  }

  const safeBeat = () =>
    beat().catch((error: unknown) => {
      // The database is away: keep the last share; a member that cannot beat drops out elsewhere.
      log.warn({ err: error, member: info.id }, 'cluster heartbeat failed');
      return 0;
    });

  beatingHere++;
  const first = safeBeat();
  const timer: StoppableTimer = startTimer(heartbeatMs, async () => {
    await safeBeat();
  });

  return {
    id: info.id,
    beat,
    async stop() {
      if (stopped) return;
      stopped = true;
      await first;
      await timer.stop();
      beatingHere--;
      if (beatingHere === 0) shareRateLimits(1);
      await runtime.db
        .delete(clusterMembers)
        .where(eq(clusterMembers.id, info.id))
        .catch((error: unknown) => log.warn({ err: error, member: info.id }, 'could not leave the cluster; the row lapses after 3 heartbeats'));
    },
  };
}
