/**
 * Limits that hold for the cluster, not per process: a workspace never has more than
 * JOB_CONCURRENCY_PER_WORKSPACE enrich jobs running across two workers (on Postgres two
 * runtimes, as two processes would be), while another workspace's jobs still run; and the
 * provider rate limits are shared out among the live cluster members (cluster/cluster-members.ts).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import { joinCluster, type ClusterMember } from '~/server/cluster/cluster-members';
import { clusterMembers, enrichmentJobs } from '~/server/db/schema';
import { startEnrichmentServices } from '~/server/enrichment/enrichment-services';
import { claimNextJob } from '~/server/jobs/claim-next-job';
import { enqueueJob } from '~/server/jobs/enqueue-job';
import type { JobRow } from '~/server/jobs/job-status-event';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { sharedRateLimiter } from '~/server/providers/rate-limiter';
import { createWorkspace } from '../support/accounts';
import { callerFor } from '../support/caller';
import { waitFor } from '../support/iterate';
import { engines, type TestRuntime } from '../support/runtime';
import { startWorker, testRuntimes } from './support';

const runtimes = testRuntimes();
afterEach(() => runtimes.dispose());
const runtimeOn = runtimes.on;
const secondRuntime = runtimes.second;

function member(runtime: TestRuntime, id: string, callsProviders = true): ClusterMember {
  const joined = joinCluster(runtime, { id, kind: 'worker', callsProviders });
  runtimes.defer(() => joined.stop());
  return joined;
}

describe.each(engines)('cluster limits on %s', (engine) => {
  test('a workspace never runs more than JOB_CONCURRENCY_PER_WORKSPACE jobs across two workers, and another workspace runs beside it', async () => {
    const limit = 2;
    const runtime = await runtimeOn(engine, { JOB_CONCURRENCY_PER_WORKSPACE: String(limit), DEMO_LATENCY_MS: '15' });
    const second = await secondRuntime(runtime);
    const busy = runtime.workspaceId;
    const other = await createWorkspace(runtime, 'Other workspace');
    // The busy workspace queues its jobs first: the other's must not wait behind them.
    for (let i = 0; i < 6; i++) await callerFor(runtime).playlists.add({ url: demoPlaylistId(50 + i) });
    for (let i = 0; i < 2; i++) await callerFor(runtime, undefined, { workspaceId: other }).playlists.add({ url: demoPlaylistId(60 + i) });
    startWorker(runtime, 4);
    startWorker(second, 4);

    const samples: Array<Map<string, number>> = [];
    await waitFor(
      async () => {
        const rows = await runtime.db
          .select({ workspaceId: enrichmentJobs.workspaceId, status: enrichmentJobs.status, n: count() })
          .from(enrichmentJobs)
          .where(eq(enrichmentJobs.kind, 'enrich'))
          .groupBy(enrichmentJobs.workspaceId, enrichmentJobs.status);
        samples.push(new Map(rows.filter((row) => row.status === 'running').map((row) => [row.workspaceId, Number(row.n)])));
        return rows.every((row) => row.status === 'completed');
      },
      { what: 'every job completed', timeoutMs: 60_000 },
    );
    const most = (workspaceId: string) => Math.max(...samples.map((sample) => sample.get(workspaceId) ?? 0));
    expect(most(busy)).toBe(limit);
    expect(most(other)).toBeGreaterThan(0);
    expect(most(other)).toBeLessThanOrEqual(limit);
    // At some moment the busy workspace was at its limit and the other one's jobs ran beside it.
    expect(samples.some((sample) => sample.get(busy) === limit && (sample.get(other) ?? 0) > 0)).toBe(true);
  });

  test('racing claims from two runtimes take exactly the free slots of a workspace, and still reach the other workspace', async () => {
    const runtime = await runtimeOn(engine);
    const second = await secondRuntime(runtime);
    const other = await createWorkspace(runtime, 'Other workspace');
    for (let i = 0; i < 10; i++) {
      await runtime.log.transaction((tx) => enqueueJob(tx, { workspaceId: runtime.workspaceId, playlistId: null, trackIds: [`t${i}`], maxAttempts: 3, reason: 'test' }));
    }
    // The other workspace's job is the newest: every claim meets the full workspace's jobs first.
    await runtime.log.transaction((tx) => enqueueJob(tx, { workspaceId: other, playlistId: null, trackIds: ['o'], maxAttempts: 3, reason: 'test' }));
    const claimed: JobRow[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        for (;;) {
          const job = await claimNextJob((i % 2 ? second : runtime).log, `worker-${i}`, 60_000, 3);
          if (!job) return;
          claimed.push(job);
        }
      }),
    );
    expect(claimed.filter((job) => job.workspaceId === runtime.workspaceId)).toHaveLength(3);
    expect(claimed.filter((job) => job.workspaceId === other)).toHaveLength(1);
  });

  test('two members halve each provider limiter; a member that stops beating drops out; a stopped one leaves at once', async () => {
    const runtime = await runtimeOn(engine, { CLUSTER_HEARTBEAT_MS: '200' });
    const second = await secondRuntime(runtime);
    const limiter = sharedRateLimiter(`test-provider-${engine}`, { requestsPerSecond: 8 });
    const a = member(runtime, 'member-a');
    expect(await a.beat()).toBe(1);
    expect(limiter.requestsPerSecond).toBe(8);

    const b = member(second, 'member-b');
    await b.beat();
    // A web instance that calls no provider takes no share.
    member(runtime, 'web-without-loops', false);
    expect(await a.beat()).toBe(2);
    expect(limiter.requestsPerSecond).toBe(4);
    // A limiter made later takes the same share.
    expect(sharedRateLimiter(`test-provider-later-${engine}`, { requestsPerSecond: 10 }).requestsPerSecond).toBe(5);

    // A graceful stop deletes the row: the next beat gives the whole rate back.
    await b.stop();
    expect(await a.beat()).toBe(1);
    expect(limiter.requestsPerSecond).toBe(8);

    // A process that was killed: its row stays, never beaten again. It counts until it is 3 beats old, then it is pruned.
    await runtime.db.insert(clusterMembers).values({ id: 'killed-worker', kind: 'worker', callsProviders: true });
    expect(await a.beat()).toBe(2);
    expect(limiter.requestsPerSecond).toBe(4);
    await waitFor(() => limiter.requestsPerSecond === 8, { what: 'the dead member to drop out' });
    const left = await runtime.db.select({ id: clusterMembers.id }).from(clusterMembers).where(eq(clusterMembers.id, 'killed-worker'));
    expect(left).toEqual([]);
  });

  test('the worker services join the cluster while they run and leave when they stop', async () => {
    const runtime = await runtimeOn(engine);
    const limiter = sharedRateLimiter(`test-services-${engine}`, { requestsPerSecond: 6 });
    const services = startEnrichmentServices(runtime, { worker: true, pollers: false });
    runtimes.defer(() => services.stop());
    const row = await waitFor(
      async () => (await runtime.db.select().from(clusterMembers).where(and(eq(clusterMembers.id, services.member!.id), eq(clusterMembers.callsProviders, true))))[0],
      { what: 'the services joined' },
    );
    expect(row.kind).toBe('worker');
    // One process alone calls providers: the full rate.
    expect(limiter.requestsPerSecond).toBe(6);
    await services.stop();
    const [remaining] = await runtime.db.select({ n: sql<number>`count(*)::int` }).from(clusterMembers);
    expect(Number(remaining!.n)).toBe(0);
  });
});
