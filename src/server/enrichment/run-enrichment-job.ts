/**
 * Runs one claimed job: phases 1-3 in order over the job's tracks, in batches.
 *
 * Each batch is two transactions: the first moves its tracks pending -> enriching (first phase
 * only), the second stores what the provider found, fails the tracks it could not enrich (with
 * their reason; the batch goes on), and on the last phase completes the rest (track_enriched).
 * Both check this worker still holds the lease, so a worker that lost its job writes nothing.
 * Cancel and lease loss are checked at batch boundaries only: a batch is never half-written.
 */
import { eq, sql } from 'drizzle-orm';
import { enrichmentJobs } from '../db/schema';
import { phaseNames } from '../events/catalog';
import type { Tx } from '../events/event-log';
import { keysOf } from '../jobs/fail-job-attempt';
import { lockLeasedJob, renewLease } from '../jobs/job-lease';
import type { JobRow } from '../jobs/job-status-event';
import { jobTargetTracks } from '../jobs/job-tracks';
import { recomputePlaylistMetrics } from '../metrics/recompute-playlist-metrics';
import type { Runtime } from '../runtime';
import { applyTrackChanges, trackKeys, type TrackChange, type TrackRow } from '../tracks/track-transitions';
import type { ProviderRetry } from './call-provider';
import { jobPhaseSeconds } from '../observability/metrics';
import { catalogPhase } from './phases/catalog-phase';
import { creditsPhase } from './phases/credits-phase';
import type { Phase } from './phases/phase-outcome';
import { statsPhase } from './phases/stats-phase';

const phases: Record<1 | 2 | 3, Phase> = { 1: catalogPhase, 2: creditsPhase, 3: statsPhase };

/** Thrown at a batch boundary when someone asked to cancel the job. */
export class CancelRequestedError extends Error {
  constructor() {
    super('Cancel requested');
    this.name = 'CancelRequestedError';
  }
}

/** The phase that failed, so the job's failure names it. */
export class PhaseFailedError extends Error {
  constructor(
    readonly phase: 1 | 2 | 3,
    cause: unknown,
  ) {
    super(`Phase ${phase} (${phaseNames[phase]}) failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PhaseFailedError';
  }
}

export interface JobRun {
  runtime: Runtime;
  workerId: string;
  signal: AbortSignal;
}

/** Runs every phase; the caller completes the job (or handles what this throws). */
export async function runEnrichmentJob(run: JobRun, claimed: JobRow): Promise<void> {
  const { runtime, workerId, signal } = run;
  const { config } = runtime;
  const retry: ProviderRetry = { attempts: config.PROVIDER_CALL_ATTEMPTS, baseMs: config.PROVIDER_RETRY_BASE_MS, signal };
  const ctx = { workspaceId: claimed.workspaceId, jobId: claimed.id, playlistId: claimed.playlistId };
  const jobPhases = ([...claimed.phases].sort() as (1 | 2 | 3)[]).filter((p) => p in phases);

  const targets = await jobTargetTracks(runtime.db, claimed);
  // Rows carry what earlier phases found (phase 2 needs phase 1's ISRC).
  const alive = new Map<string, TrackRow>(targets.map((t) => [t.id, t]));
  await inLease(run, claimed.id, async (tx) => {
    await tx.db
      .update(enrichmentJobs)
      .set({ tracksTotal: targets.length, tracksDone: 0, tracksFailed: 0, updatedAt: sql`now()` })
      .where(eq(enrichmentJobs.id, claimed.id));
  });

  let done = 0;
  let failed = 0;
  for (const [phaseIndex, phase] of jobPhases.entries()) {
    const first = phaseIndex === 0;
    const last = phaseIndex === jobPhases.length - 1;
    const phaseTracks = [...alive.values()];
    const phaseStarted = performance.now();
    await inLease(run, claimed.id, async (tx, job) => {
      await tx.db.update(enrichmentJobs).set({ phase, updatedAt: sql`now()` }).where(eq(enrichmentJobs.id, job.id));
      emitPhase(tx, job, phase, 'started', phaseTracks.length);
    });

    let processed = 0;
    const batches = chunk(phaseTracks, config.ENRICH_BATCH_SIZE);
    for (const [batchIndex, batch] of batches.entries()) {
      await checkpoint(run, claimed.id);
      if (first) {
        await inLease(run, claimed.id, (tx) => applyTrackChanges(tx, ctx, batch.map((t) => ({ trackId: t.id, to: 'enriching' as const }))));
      }
      let outcomes;
      try {
        outcomes = await phases[phase](batch, runtime.providers, retry);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw new PhaseFailedError(phase, error);
      }

      let succeeded = 0;
      let batchFailed = 0;
      await inLease(run, claimed.id, async (tx, job) => {
        const changes: TrackChange[] = batch.map((track) => {
          const outcome = outcomes.get(track.id) ?? { ok: false as const, error: 'The provider gave no answer for this track.' };
          if (!outcome.ok) return { trackId: track.id, to: 'failed', error: outcome.error };
          return { trackId: track.id, to: last ? 'completed' : 'enriching', fields: outcome.fields };
        });
        const after = await applyTrackChanges(tx, ctx, changes);
        for (const change of changes) {
          const row = after.get(change.trackId);
          if (change.to === 'failed' || !row) {
            batchFailed++;
            alive.delete(change.trackId);
            continue;
          }
          succeeded++;
          alive.set(row.id, row);
          if (last) tx.emit(trackEnriched(ctx, row));
        }
        failed += batchFailed;
        if (last) done += succeeded;
        processed += batch.length;
        await tx.db
          .update(enrichmentJobs)
          .set({ tracksDone: done, tracksFailed: failed, updatedAt: sql`now()` })
          .where(eq(enrichmentJobs.id, job.id));
        tx.emit({
          type: 'batch_complete',
          workspaceId: job.workspaceId,
          keys: keysOf(job),
          data: { jobId: job.id, playlistId: job.playlistId, phase, batch: batchIndex, succeeded, failed: batchFailed, done: processed, total: phaseTracks.length },
        });
      });
      if (phase === 3) {
        runtime.log.publish({
          type: 'chartmetric_progress',
          workspaceId: claimed.workspaceId,
          keys: keysOf(claimed),
          data: { jobId: claimed.id, playlistId: claimed.playlistId, done: processed, total: phaseTracks.length },
        });
      }
      if (claimed.playlistId) await recomputePlaylistMetrics(runtime, claimed.workspaceId, claimed.playlistId);
    }

    await inLease(run, claimed.id, async (tx, job) => emitPhase(tx, job, phase, 'completed', phaseTracks.length));
    jobPhaseSeconds.observe({ phase }, (performance.now() - phaseStarted) / 1000);
  }
  await checkpoint(run, claimed.id);
}

/** Runs `work` in one transaction that first checks (and locks) this worker's lease on the job. */
export function inLease<T>(run: JobRun, jobId: string, work: (tx: Tx, job: JobRow) => Promise<T>): Promise<T> {
  run.signal.throwIfAborted();
  return run.runtime.log.transaction(async (tx) => work(tx, await lockLeasedJob(tx.db, jobId, run.workerId)));
}

/** A batch boundary: renew the lease (or learn it is lost) and honour a cancel request. */
async function checkpoint(run: JobRun, jobId: string): Promise<void> {
  run.signal.throwIfAborted();
  const job = await renewLease(run.runtime.db, jobId, run.workerId, run.runtime.config.JOB_LEASE_MS);
  if (job.cancelRequested) throw new CancelRequestedError();
}

function emitPhase(tx: Tx, job: JobRow, phase: 1 | 2 | 3, state: 'started' | 'completed', tracksTotal: number) {
  tx.emit({
    type: 'enrichment_phase',
    workspaceId: job.workspaceId,
    keys: keysOf(job),
    data: { jobId: job.id, playlistId: job.playlistId, phase, name: phaseNames[phase], state, tracksTotal, error: null },
  });
}

function trackEnriched(ctx: { workspaceId: string; jobId: string; playlistId: string | null }, row: TrackRow) {
  return {
    type: 'track_enriched' as const,
    workspaceId: ctx.workspaceId,
    keys: trackKeys(ctx, row.id),
    data: {
      trackId: row.id,
      jobId: ctx.jobId,
      name: row.name,
      artist: row.artist,
      found: {
        isrc: row.isrc,
        label: row.label,
        releaseDate: row.releaseDate,
        popularity: row.popularity,
        songwriters: row.songwriters,
        producers: row.producers,
        streams: row.streams,
        playlistReach: row.playlistReach,
      },
    },
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
