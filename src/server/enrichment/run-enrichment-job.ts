/**
 * Runs one claimed job: phases 1-4 in order over the job's tracks, in batches.
 *
 * Each batch is two transactions: the first (first phase only) claims its tracks for this job and
 * moves those it claimed pending -> enriching; the second stores what the provider found, fails
 * the tracks it could not enrich (with their reason; the batch goes on), and on the last phase
 * completes the rest (track_enriched). Both check this worker still holds the lease, so a worker
 * that lost its job writes nothing. Cancel and lease loss are checked at batch boundaries only: a
 * batch is never half-written.
 *
 * Claims (tracks/track-claims.ts): a track another running job holds, or one already done for this
 * job (completed since it was asked for, or recently for a job nobody forced), is skipped: it
 * leaves the job's work and counts in tracks_skipped and batch_complete's `skipped`. A track leaves
 * its claim when it finishes (failed, or completed by the last phase). A claimed track that was
 * `completed` keeps that status while the job works: its new data is held here and written by the
 * last phase (the rule is in track-transitions.ts).
 */
import { eq, sql } from 'drizzle-orm';
import { enrichmentJobs } from '../db/schema';
import { phaseNames, type EnrichmentPhase } from '../events/catalog';
import type { Tx } from '../events/event-log';
import { keysOf } from '../jobs/fail-job-attempt';
import { lockLeasedJob, renewLease } from '../jobs/job-lease';
import type { JobRow } from '../jobs/job-status-event';
import { jobTargetTracks } from '../jobs/job-tracks';
import { recomputePlaylistMetrics } from '../metrics/recompute-playlist-metrics';
import type { Runtime } from '../runtime';
import { rescoreSongwriters } from '../songwriters/rescore';
import { syncTrackCredits } from '../songwriters/sync-credits';
import { claimTracks, releaseTrackClaims } from '../tracks/track-claims';
import { applyTrackChanges, trackKeys, type TrackChange, type TrackFields, type TrackRow, type TransitionContext } from '../tracks/track-transitions';
import type { ProviderRetry } from './call-provider';
import { jobPhaseSeconds } from '../observability/metrics';
import { catalogPhase } from './phases/catalog-phase';
import { creditsPhase } from './phases/credits-phase';
import type { Phase } from './phases/phase-outcome';
import { rightsPhase } from './phases/rights-phase';
import { statsPhase } from './phases/stats-phase';

const phases: Record<EnrichmentPhase, Phase> = { 1: catalogPhase, 2: creditsPhase, 3: statsPhase, 4: rightsPhase };

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
    readonly phase: EnrichmentPhase,
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
  const jobPhases = ([...claimed.phases].sort() as EnrichmentPhase[]).filter((p) => p in phases);

  const targets = await jobTargetTracks(runtime.db, claimed);
  // Rows carry what earlier phases found (phase 2 needs phase 1's ISRC; phase 4 its ISRC and phase 2's songwriters).
  const alive = new Map<string, TrackRow>(targets.map((t) => [t.id, t]));
  // Claimed while `completed`: they stay so, their new data held in `alive` until the last phase.
  const keptCompleted = new Set<string>();
  await inLease(run, claimed.id, async (tx) => {
    await tx.db
      .update(enrichmentJobs)
      .set({ tracksTotal: targets.length, tracksDone: 0, tracksFailed: 0, tracksSkipped: 0, updatedAt: sql`now()` })
      .where(eq(enrichmentJobs.id, claimed.id));
  });

  let done = 0;
  let failed = 0;
  let skipped = 0;
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
      let work = batch;
      if (first) {
        const held = await inLease(run, claimed.id, (tx, job) => startBatch(tx, ctx, job, batch, config.TRACK_FRESHNESS_MS));
        work = batch.filter((track) => held.has(track.id));
        for (const track of batch) {
          const status = held.get(track.id);
          if (status === undefined) alive.delete(track.id);
          else if (status === 'completed') keptCompleted.add(track.id);
        }
      }
      const batchSkipped = batch.length - work.length;
      let outcomes: Awaited<ReturnType<Phase>> = new Map();
      try {
        if (work.length > 0) outcomes = await phases[phase](work, runtime.providers, retry);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw new PhaseFailedError(phase, error);
      }

      let succeeded = 0;
      let batchFailed = 0;
      await inLease(run, claimed.id, async (tx, job) => {
        const finished: string[] = [];
        const changes: TrackChange[] = [];
        for (const track of work) {
          const outcome = outcomes.get(track.id) ?? { ok: false as const, error: 'The provider gave no answer for this track.' };
          const kept = keptCompleted.has(track.id);
          if (!outcome.ok) {
            batchFailed++;
            alive.delete(track.id);
            finished.push(track.id);
            // A completed track whose new run failed keeps its earlier data (and status).
            if (!kept) changes.push({ trackId: track.id, to: 'failed', error: outcome.error });
          } else if (kept && !last) {
            alive.set(track.id, { ...alive.get(track.id)!, ...outcome.fields });
          } else if (kept) {
            changes.push({ trackId: track.id, to: 'completed', fields: { ...fieldsOf(alive.get(track.id)!), ...outcome.fields } });
          } else {
            changes.push({ trackId: track.id, to: last ? 'completed' : 'enriching', fields: outcome.fields });
          }
        }
        const after = await applyTrackChanges(tx, ctx, changes);
        const completed: TrackRow[] = [];
        for (const change of changes) {
          if (change.to === 'failed') continue;
          const row = after.get(change.trackId);
          if (!row) {
            // Removed meanwhile (its playlist was deleted): counted as failed, as before claims.
            batchFailed++;
            alive.delete(change.trackId);
            continue;
          }
          alive.set(row.id, row);
          if (last) finished.push(row.id);
          if (last) completed.push(row);
          if (last) tx.emit(trackEnriched(ctx, row));
        }
        // Their credits become songwriter records, rescored in this transaction (published with it).
        await rescoreSongwriters(tx, ctx.workspaceId, await syncTrackCredits(tx, ctx.workspaceId, completed));
        succeeded = work.length - batchFailed;
        failed += batchFailed;
        skipped += batchSkipped;
        if (last) done += succeeded;
        processed += batch.length;
        await releaseTrackClaims(tx, job, finished);
        await tx.db
          .update(enrichmentJobs)
          .set({ tracksDone: done, tracksFailed: failed, tracksSkipped: skipped, updatedAt: sql`now()` })
          .where(eq(enrichmentJobs.id, job.id));
        tx.emit({
          type: 'batch_complete',
          workspaceId: job.workspaceId,
          keys: keysOf(job),
          data: {
            jobId: job.id,
            playlistId: job.playlistId,
            phase,
            batch: batchIndex,
            succeeded,
            failed: batchFailed,
            skipped: batchSkipped,
            done: processed,
            total: phaseTracks.length,
          },
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

/**
 * The first phase's start of a batch: claims its tracks for the job and moves those it claimed to
 * enriching, except completed ones (they stay completed, see the file's comment). Returns the
 * claimed tracks with their status at the claim.
 */
async function startBatch(tx: Tx, ctx: TransitionContext, job: JobRow, batch: readonly TrackRow[], freshnessMs: number) {
  const held = await claimTracks(tx, job, batch.map((track) => track.id), freshnessMs);
  const starting = [...held].filter(([, status]) => status !== 'completed').map(([trackId]) => ({ trackId, to: 'enriching' as const }));
  await applyTrackChanges(tx, ctx, starting);
  return held;
}

/** The columns a phase fills in, as a row holds them (a kept track's data, written at the end). */
function fieldsOf(row: TrackRow): TrackFields {
  const { isrc, label, releaseDate, popularity, durationMs, explicit, artworkUrl, songwriters, producers, streams, playlistReach } = row;
  const { workCode, iswc, writers, publishers, publisherStatus, rightsCheckedAt } = row;
  return {
    isrc,
    label,
    releaseDate,
    popularity,
    durationMs,
    explicit,
    artworkUrl,
    songwriters,
    producers,
    streams,
    playlistReach,
    workCode,
    iswc,
    writers,
    publishers,
    publisherStatus,
    rightsCheckedAt,
  };
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

function emitPhase(tx: Tx, job: JobRow, phase: EnrichmentPhase, state: 'started' | 'completed', tracksTotal: number) {
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
        workCode: row.workCode,
        iswc: row.iswc,
        writers: row.writers,
        publishers: row.publishers,
        publisherStatus: row.publisherStatus,
      },
    },
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
