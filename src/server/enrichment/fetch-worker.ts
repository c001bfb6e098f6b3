/**
 * The worker's fetch loops: they claim batches of fetch jobs (phase 0), fetch each playlist from
 * the catalog, and store each batch of an import's fetches in one transaction
 * (settle-fetch-batch.ts); a refresh job (a tracked playlist fetched again on schedule) is stored
 * in a transaction of its own with the job's end (history/settle-refresh-job.ts).
 *
 * - Provider side: at most `concurrency` fetches in flight in this process, and at most
 *   FETCH_REQUESTS_PER_SECOND per catalog provider (a limiter shared by every loop and runtime
 *   of the process; the real Spotify client's own limit applies as well).
 * - Database side: one batch transaction at a time from this process, `batchSize` playlists
 *   each, so a query from the UI waits for one short batch at most, never for the import.
 * - Two loops: while one batch is written, the next one is being fetched.
 * - Enrichment has loops of its own (worker.ts), so an import's fetches and the enrichment they
 *   queue run side by side, and the enrichment loops take interactive jobs first.
 *
 * It wakes when an import queues playlists (their playlist_updated `pending` arrives on the bus
 * from any process) and otherwise polls. stop(): no new claims; fetches in flight are aborted and
 * their jobs handed back to the queue, nothing of them written.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import os from 'node:os';
import { inArray } from 'drizzle-orm';
import { imports } from '../db/schema';
import { ImportProgress } from '../imports/import-progress';
import type { RecordedFetches } from '../imports/record-fetch-outcomes';
import { claimFetchJobs, type FetchJob } from '../jobs/claim-fetch-jobs';
import { releaseFetchJobs } from '../jobs/fetch-job-transitions';
import { isRefreshJob, releaseRefreshJobs } from '../history/refresh-jobs';
import { settleRefreshJob } from '../history/settle-refresh-job';
import { recomputePlaylistMetrics } from '../metrics/recompute-playlist-metrics';
import { renewLeases } from '../jobs/job-lease';
import { log } from '../log';
import { PollSleep } from './poll-sleep';
import { fetchPlaylist } from '../playlists/fetch-playlist';
import { PlaylistError } from '../playlists/playlist-error';
import { sharedRateLimiter, type ProviderRateLimiter } from '../providers/rate-limiter';
import type { Runtime } from '../runtime';
import { settleFetchBatch, type FetchOutcome, type FetchResult } from './settle-fetch-batch';

export interface FetchWorkerOptions {
  /** Fetches in flight at once. */
  concurrency: number;
  /** Jobs per claim and per write transaction. */
  batchSize: number;
  pollMs: number;
  workerId?: string;
}

const LOOPS = 2;

export class FetchWorker {
  readonly id: string;
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly polls = new PollSleep();
  private readonly shutdown = new AbortController();
  private detachBus: (() => void) | null = null;
  private inFlight = 0;
  private readonly waitingForSlot: Array<() => void> = [];
  private writing: Promise<unknown> = Promise.resolve();
  private readonly limiter: ProviderRateLimiter;
  private readonly progress = new Map<string, ImportProgress>();
  private readonly sources = new Map<string, string | null>();

  constructor(
    private readonly runtime: Runtime,
    private readonly opts: FetchWorkerOptions,
  ) {
    this.id = opts.workerId ?? `${os.hostname()}:${process.pid}:fetch-${randomUUID().slice(0, 8)}`;
    // Every fetch in flight (and its rate-limit wait) listens to it.
    setMaxListeners(0, this.shutdown.signal);
    this.limiter = sharedRateLimiter(`playlist-fetch:${runtime.providers.catalog.name}`, {
      requestsPerSecond: runtime.config.FETCH_REQUESTS_PER_SECOND,
      maxWaitMs: runtime.config.PROVIDER_MAX_RATE_LIMIT_WAIT_MS,
    });
  }

  start(): this {
    this.detachBus = this.runtime.bus.listen((events) => {
      // An import queued playlists, or a job was queued: a refresh job is one (the scheduler's, a retry).
      if (events.some((e) => (e.type === 'playlist_updated' && e.data.changes.fetchStatus === 'pending') || (e.type === 'job_status_changed' && e.data.to === 'queued'))) {
        this.wake();
      }
    });
    for (let i = 0; i < LOOPS; i++) this.loops.push(this.loop());
    return this;
  }

  /** Claim now instead of at the next poll. */
  wake(): void {
    this.polls.wakeAll();
  }

  async stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.detachBus?.();
      this.shutdown.abort(new Error('The worker is shutting down.'));
      this.wake();
    }
    await Promise.all(this.loops);
    for (const progress of this.progress.values()) progress.close();
    this.progress.clear();
  }

  private async loop(): Promise<void> {
    const { log: events, config } = this.runtime;
    while (!this.stopping) {
      let batch: FetchJob[] = [];
      try {
        batch = await claimFetchJobs(events, this.id, config.JOB_LEASE_MS, this.opts.batchSize);
      } catch (error) {
        if (!this.stopping) log.warn({ err: error }, 'claiming fetch jobs failed');
      }
      if (batch.length === 0) {
        await this.sleep(this.opts.pollMs);
        continue;
      }
      try {
        await this.process(batch);
      } catch (error) {
        // The database failed mid-batch: the jobs' leases lapse and the sweeper queues them again.
        log.warn({ err: error, jobs: batch.length }, 'a batch of playlist fetches could not be stored');
      }
    }
  }

  private async process(batch: FetchJob[]): Promise<void> {
    const { runtime } = this;
    const ids = batch.map((item) => item.job.id);
    // A slow provider (or a long rate-limit pause) must not let the batch's leases lapse.
    const renewal = setInterval(() => {
      renewLeases(runtime.db, ids, this.id, runtime.config.JOB_LEASE_MS).catch(() => {});
    }, Math.max(50, Math.floor(runtime.config.JOB_LEASE_MS / 3)));
    let outcomes: FetchOutcome[];
    try {
      outcomes = await Promise.all(batch.map(async (item) => ({ ...item, result: await this.fetchOne(item) })));
    } finally {
      clearInterval(renewal);
    }
    const refreshes = outcomes.filter((o) => isRefreshJob(o.job));
    const fetches = outcomes.filter((o) => !isRefreshJob(o.job));
    if (this.stopping) {
      await releaseFetchJobs(runtime.db, fetches.map((o) => o.job.id), this.id).catch(() => {});
      await releaseRefreshJobs(runtime.log, refreshes.map((o) => o.job.id), this.id).catch(() => {});
      return;
    }
    if (fetches.length > 0) {
      await this.learnSources(batch);
      const recorded = await this.serially(() => settleFetchBatch(runtime, this.id, fetches, this.sources));
      for (const entry of recorded) this.report(entry);
    }
    for (const outcome of refreshes) {
      try {
        const stored = await this.serially(() => settleRefreshJob(runtime, this.id, outcome));
        if (stored) await recomputePlaylistMetrics(runtime, stored.workspaceId, stored.playlistId).catch(() => {});
      } catch (error) {
        // Its lease lapses and the sweeper queues it again; the batch's other refreshes go on.
        log.warn({ err: error, jobId: outcome.job.id }, 'a playlist refresh could not be stored');
      }
    }
  }

  /** Fetches one playlist; never throws (a shutdown shows as a failed attempt, and is not written). */
  private async fetchOne({ playlist }: FetchJob): Promise<FetchResult> {
    const signal = this.shutdown.signal;
    await this.slot();
    try {
      await this.limiter.acquire(signal);
      return { kind: 'fetched', fetched: await fetchPlaylist(this.runtime, playlist.spotifyId, signal) };
    } catch (error) {
      if (error instanceof PlaylistError && error.code !== 'PROVIDER_FAILED') return { kind: 'failed', code: error.code, message: error.message };
      const message = error instanceof Error ? error.message : String(error);
      return { kind: 'retry', code: 'PROVIDER_FAILED', message };
    } finally {
      this.releaseSlot();
    }
  }

  private report({ row, finished }: RecordedFetches): void {
    let progress = this.progress.get(row.id);
    if (!progress) this.progress.set(row.id, (progress = new ImportProgress(this.runtime, { importId: row.id, workspaceId: row.workspaceId })));
    if (!finished) return progress.report(row);
    progress.report(finished, { final: true });
    progress.close();
    this.progress.delete(row.id);
    this.sources.delete(row.id);
  }

  /** The import's file name, for each playlist's "added" activity row. */
  private async learnSources(batch: FetchJob[]): Promise<void> {
    const unknown = [...new Set(batch.map((item) => item.job.importId).filter((id): id is string => id !== null && !this.sources.has(id)))];
    if (unknown.length === 0) return;
    const found = await this.runtime.db.select({ id: imports.id, filename: imports.filename }).from(imports).where(inArray(imports.id, unknown));
    for (const row of found) this.sources.set(row.id, row.filename);
  }

  /** One write transaction at a time from this process (see the file's comment). */
  private serially<T>(write: () => Promise<T>): Promise<T> {
    const result = this.writing.then(write);
    this.writing = result.catch(() => {});
    return result;
  }

  private async slot(): Promise<void> {
    while (this.inFlight >= this.opts.concurrency) await new Promise<void>((resolve) => this.waitingForSlot.push(resolve));
    this.inFlight++;
  }

  private releaseSlot(): void {
    this.inFlight--;
    this.waitingForSlot.shift()?.();
  }

  private sleep(ms: number): Promise<void> {
    return this.stopping ? Promise.resolve() : this.polls.sleep(ms);
  }
}
