/**
 * The worker in its own process (`npm run worker`) on Postgres: its events reach the server
 * process's subscribers in order through the Postgres bus; killed with SIGKILL mid-job, its job is
 * re-run by another worker after the lease expires; on PGlite it refuses to start.
 */
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { enrichmentJobs } from '~/server/db/schema';
import { startLeaseSweeper } from '~/server/enrichment/lease-sweeper';
import { isDurable } from '~/server/events/catalog';
import { LEASE_EXPIRED_ERROR } from '~/server/jobs/sweep-expired-leases';
import { createDemoProviders } from '~/server/providers/demo/create-demo-providers';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { callerFor } from '../support/caller';
import { startWorkerProcess, type WorkerProcess } from '../support/cluster';
import { waitFor } from '../support/iterate';
import { postgresUrl, tempDir, type TestRuntime } from '../support/runtime';
import { fastEnv, jobTransitions, ofType, pipelineRuntime, startWorker, live } from './support';

/** The lease is the worker's business, not in the API's job DTO: read it from the table. */
async function leaseOwnerOf(rt: TestRuntime, jobId: string): Promise<string | null> {
  const [row] = await rt.db.select({ leaseOwner: enrichmentJobs.leaseOwner }).from(enrichmentJobs).where(eq(enrichmentJobs.id, jobId));
  return row!.leaseOwner;
}
const workers: WorkerProcess[] = [];
const track = (worker: WorkerProcess) => (workers.push(worker), worker);
let runtime: TestRuntime | undefined;

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.kill()));
  await runtime?.dispose();
  runtime = undefined;
});

test('npm run worker refuses to run on PGlite, with a message saying why', async () => {
  const refused = await startWorkerProcess({ DATA_DIR: tempDir() }).catch((error: Error) => error);
  expect(refused).toBeInstanceOf(Error);
  expect((refused as Error).message).toContain('worker exited with 2 before it was ready');
  expect((refused as Error).message).toContain('npm run worker needs Postgres: set DATABASE_URL');
});

describe.skipIf(!postgresUrl)('a worker in its own process (Postgres)', () => {
  test("its events arrive, in order, at the server process's subscribers", async () => {
    runtime = await pipelineRuntime({ engine: 'postgres' });
    const worker = track(await startWorkerProcess({ ...fastEnv, DATABASE_URL: runtime.target.DATABASE_URL!, WORKER_IN_SERVER: 'false' }));
    const workerId = worker.id;
    const jobs = await live(runtime, (c) => c.jobStatus());
    const tracks = await live(runtime, (c) => c.trackStatus());
    const added = await callerFor(runtime).playlists.add({ url: demoPlaylistId(30) });
    await waitFor(() => jobTransitions(jobs.events, added.jobId!).includes('running->completed'), { what: 'job completed by the worker process', timeoutMs: 30_000 });
    expect(jobTransitions(jobs.events, added.jobId!)).toEqual(['none->queued', 'queued->running', 'running->completed']);
    expect(await leaseOwnerOf(runtime, added.jobId!)).toBeNull();
    await waitFor(() => ofType(tracks.events, 'track_enriched').length === added.trackCount, { what: 'every track_enriched' });
    for (const sub of [jobs, tracks]) {
      // Volatile events (chartmetric_progress) carry the last durable id: check the durable ones.
      const seqs = sub.events.filter((e) => isDurable(e.type)).map((e) => Number(e.id.split(':')[1]));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
    }
    expect(ofType(jobs.events, 'enrichment_phase').map((e) => `${e.data.phase}:${e.data.state}`)).toEqual([
      '1:started',
      '1:completed',
      '2:started',
      '2:completed',
      '3:started',
      '3:completed',
      '4:started',
      '4:completed',
    ]);
    // The claim was the other process's.
    expect(workerId).toContain(`:${worker.child.pid}:`);
    // Graceful stop: SIGTERM ends it cleanly.
    expect(await worker.stop()).toBe(0);
    await jobs.stop();
    await tracks.stop();
  });

  test('a worker killed mid-job has its job re-run by another worker after the lease expires', async () => {
    const env = { JOB_LEASE_MS: '1500', DEMO_LATENCY_MS: '150', ENRICH_BATCH_SIZE: '2' };
    runtime = await pipelineRuntime({ engine: 'postgres', env });
    const doomed = track(await startWorkerProcess({ ...fastEnv, ...env, DATABASE_URL: runtime.target.DATABASE_URL!, WORKER_IN_SERVER: 'false', JOB_SWEEP_INTERVAL_MS: '0' }));
    const doomedId = doomed.id;
    const jobs = await live(runtime, (c) => c.jobStatus());
    const added = await callerFor(runtime).playlists.add({ url: demoPlaylistId(31) });
    await waitFor(() => ofType(jobs.events, 'batch_complete').length >= 1, { what: 'the first batch', timeoutMs: 30_000 });
    expect(await leaseOwnerOf(runtime, added.jobId!)).toBe(doomedId);
    await doomed.kill();

    // The survivor needs no simulated latency: only the re-run matters here.
    runtime.providers = createDemoProviders({ latencyMs: 0, failureRate: 0 });
    const sweeper = startLeaseSweeper(runtime, 200);
    runtime.onClose.push(() => sweeper.stop());
    startWorker(runtime);
    await waitFor(() => jobTransitions(jobs.events, added.jobId!).includes('running->completed'), { what: 'job re-run to completion', timeoutMs: 30_000 });
    expect(jobTransitions(jobs.events, added.jobId!)).toEqual(['none->queued', 'queued->running', 'running->queued', 'queued->running', 'running->completed']);
    expect(ofType(jobs.events, 'job_status_changed').find((e) => e.data.to === 'queued' && e.data.from === 'running')!.data.error).toBe(LEASE_EXPIRED_ERROR);
    const job = await callerFor(runtime).jobs.get({ id: added.jobId! });
    expect(job).toMatchObject({ status: 'completed', attempt: 2, tracksDone: added.trackCount });
    const tracks = await callerFor(runtime).tracks.list({ playlistId: added.id });
    expect(tracks.every((t) => t.enrichmentStatus === 'completed')).toBe(true);
    await jobs.stop();
  });
});
