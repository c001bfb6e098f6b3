/**
 * The enrichment worker: `concurrency` loops that claim a due job, run it while renewing its
 * lease, and record how it ended. It wakes early when a job is queued anywhere, or when a job
 * ends (a workspace at its JOB_CONCURRENCY_PER_WORKSPACE limit has a free slot again); the bus
 * carries job_status_changed from every process. Otherwise it polls.
 *
 * stop(): no new claims; a job in progress is aborted and handed back to the queue (the batch in
 * flight is dropped, never half-written) so another worker picks it up at once.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { refreshAnalytics } from '../analytics/refresh-analytics';
import { claimNextJob } from '../jobs/claim-next-job';
import { completeJob } from '../jobs/complete-job';
import { markCancelled } from '../jobs/cancel-job';
import { failJobAttempt } from '../jobs/fail-job-attempt';
import { LeaseLostError, renewLease } from '../jobs/job-lease';
import type { JobRow } from '../jobs/job-status-event';
import { releaseJob } from '../jobs/release-job';
import { log } from '../log';
import { PollSleep } from './poll-sleep';
import type { Runtime } from '../runtime';
import { reasonOf } from './call-provider';
import { CancelRequestedError, inLease, PhaseFailedError, runEnrichmentJob, type JobRun } from './run-enrichment-job';

export interface WorkerOptions {
  concurrency: number;
  pollMs: number;
  workerId?: string;
}

class ShutdownError extends Error {
  constructor() {
    super('The worker is shutting down.');
  }
}

export class EnrichmentWorker {
  readonly id: string;
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly polls = new PollSleep();
  private readonly inFlight = new Set<AbortController>();
  private detachBus: (() => void) | null = null;

  constructor(
    private readonly runtime: Runtime,
    private readonly opts: WorkerOptions,
  ) {
    this.id = opts.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  start(): this {
    this.detachBus = this.runtime.bus.listen((events) => {
      if (events.some((e) => e.type === 'job_status_changed' && (e.data.to === 'queued' || e.data.from === 'running'))) this.wake();
    });
    for (let i = 0; i < this.opts.concurrency; i++) this.loops.push(this.loop());
    return this;
  }

  /** Claim now instead of at the next poll. */
  wake(): void {
    this.polls.wakeAll();
  }

  async stop(): Promise<void> {
    if (this.stopping) return Promise.all(this.loops).then(() => {});
    this.stopping = true;
    this.detachBus?.();
    this.wake();
    for (const controller of this.inFlight) controller.abort(new ShutdownError());
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let job: JobRow | null = null;
      try {
        const { JOB_LEASE_MS, JOB_CONCURRENCY_PER_WORKSPACE } = this.runtime.config;
        job = await claimNextJob(this.runtime.log, this.id, JOB_LEASE_MS, JOB_CONCURRENCY_PER_WORKSPACE);
      } catch (error) {
        log.warn({ err: error }, 'claiming a job failed');
      }
      if (this.stopping && job) {
        await releaseJob(this.runtime.log, job.id, this.id).catch(() => {});
        return;
      }
      if (job) await this.process(job);
      else await this.sleep(this.opts.pollMs);
    }
  }

  private async process(job: JobRow): Promise<void> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const run: JobRun = { runtime: this.runtime, workerId: this.id, signal: controller.signal };
    // Renew between batches too: one slow batch must not let the lease lapse.
    const renewal = setInterval(() => {
      renewLease(this.runtime.db, job.id, this.id, this.runtime.config.JOB_LEASE_MS).catch((error: unknown) => {
        if (error instanceof LeaseLostError) controller.abort(error);
      });
    }, Math.max(50, Math.floor(this.runtime.config.JOB_LEASE_MS / 3)));
    try {
      await runEnrichmentJob(run, job);
      await inLease(run, job.id, (tx, locked) => completeJob(tx, locked));
      if (job.playlistId) await refreshAnalytics(this.runtime, job.workspaceId).catch(() => {});
    } catch (thrown) {
      const error = controller.signal.aborted ? controller.signal.reason : thrown;
      await this.settle(run, job, error);
    } finally {
      clearInterval(renewal);
      this.inFlight.delete(controller);
    }
  }

  /** Records how a job that did not complete ended; never throws (the worker keeps running). */
  private async settle(run: JobRun, job: JobRow, error: unknown): Promise<void> {
    const { config } = this.runtime;
    const policy = { backoffBaseMs: config.JOB_BACKOFF_BASE_MS, backoffMaxMs: config.JOB_BACKOFF_MAX_MS };
    const unabortedRun = { ...run, signal: new AbortController().signal };
    try {
      if (error instanceof LeaseLostError) {
        log.warn({ jobId: job.id }, error.message);
      } else if (error instanceof ShutdownError) {
        await releaseJob(this.runtime.log, job.id, this.id);
      } else if (error instanceof CancelRequestedError) {
        await inLease(unabortedRun, job.id, (tx, locked) => markCancelled(tx, locked, 'running'));
      } else {
        if (!(error instanceof PhaseFailedError)) log.error({ err: error, jobId: job.id }, 'enrichment job failed unexpectedly');
        await inLease(unabortedRun, job.id, (tx, locked) =>
          failJobAttempt(tx, locked, reasonOf(error), { ...policy, phaseFailed: error instanceof PhaseFailedError }),
        );
      }
    } catch (settleError) {
      // Lost the lease meanwhile, or the database is gone: the sweeper settles the job later.
      if (!(settleError instanceof LeaseLostError)) log.warn({ err: settleError, jobId: job.id }, 'could not record the end of a job');
    }
  }

  private sleep(ms: number): Promise<void> {
    return this.stopping ? Promise.resolve() : this.polls.sleep(ms);
  }
}
