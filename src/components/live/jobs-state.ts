/**
 * The job board's state: every job the jobStatus stream has told us about, with per-phase
 * progress that only events carry (the jobs table keeps totals, not each phase's count).
 */
import { enrichmentPhases, type EnrichmentPhase, type Envelope } from '~/server/events/catalog';
import type { RouterOutputs } from '~/trpc/types';

export type JobRow = RouterOutputs['jobs']['get'];

export type JobEventType = 'job_status_changed' | 'enrichment_phase' | 'batch_complete' | 'chartmetric_progress';

export interface PhaseProgress {
  state: 'pending' | 'started' | 'completed' | 'failed';
  done: number;
  total: number;
  error: string | null;
}

export interface JobView extends Omit<JobRow, 'trackIds'> {
  phaseProgress: Record<EnrichmentPhase, PhaseProgress>;
  /** Inside the stats phase: done / total as the stats provider reports it. */
  chartmetric: { done: number; total: number } | null;
  retryAt: string | null;
}

export type JobsState = Map<string, JobView>;

const emptyPhase = (total = 0): PhaseProgress => ({ state: 'pending', done: 0, total, error: null });
const emptyPhases = (total = 0) => Object.fromEntries(enrichmentPhases.map((phase) => [phase, emptyPhase(total)])) as Record<EnrichmentPhase, PhaseProgress>;

export function jobFromRow(job: JobRow): JobView {
  const { trackIds: _trackIds, ...rest } = job;
  const phaseProgress = emptyPhases(job.tracksTotal);
  // The row says which phase is current: the ones before it are done.
  for (const phase of enrichmentPhases) {
    if (job.status === 'completed' || (job.phase !== null && phase < job.phase)) {
      phaseProgress[phase] = { state: 'completed', done: job.tracksTotal, total: job.tracksTotal, error: null };
    } else if (job.phase === phase && job.status === 'running') {
      phaseProgress[phase] = { state: 'started', done: job.tracksDone, total: job.tracksTotal, error: null };
    }
  }
  return { ...rest, phaseProgress, chartmetric: null, retryAt: null };
}

export function jobsFromSnapshot(jobs: JobRow[]): JobsState {
  return new Map(jobs.map((job) => [job.id, jobFromRow(job)]));
}

function placeholder(event: Envelope<JobEventType>): JobView {
  const data = event.data;
  return {
    id: data.jobId,
    playlistId: data.playlistId,
    phases: [...enrichmentPhases],
    priority: 0,
    status: 'queued',
    phase: null,
    attempt: 0,
    maxAttempts: 0,
    runAfter: event.at,
    cancelRequested: false,
    force: false,
    tracksTotal: 0,
    tracksDone: 0,
    tracksFailed: 0,
    tracksSkipped: 0,
    lastError: null,
    createdAt: event.at,
    startedAt: null,
    finishedAt: null,
    updatedAt: event.at,
    phaseProgress: emptyPhases(),
    chartmetric: null,
    retryAt: null,
  };
}

/**
 * Finished jobs a tab keeps (the newest ones); active jobs are always kept. A tab left open for a
 * day of imports would otherwise hold every job it ever saw.
 */
export const FINISHED_JOBS_KEPT = 200;

export function applyJobEvents(state: JobsState, events: Envelope<JobEventType>[]): JobsState {
  const next = new Map(state);
  for (const event of events) {
    const current = next.get(event.data.jobId) ?? placeholder(event);
    next.set(event.data.jobId, applyJobEvent(current, event));
  }
  return withoutOldFinished(next);
}

/** Drops the oldest finished jobs past FINISHED_JOBS_KEPT (checked with some slack, so not on every event). */
function withoutOldFinished(state: JobsState): JobsState {
  if (state.size <= FINISHED_JOBS_KEPT * 1.25) return state;
  const finished = [...state.values()].filter((job) => !isActiveJob(job));
  if (finished.length <= FINISHED_JOBS_KEPT * 1.25) return state;
  finished.sort((a, b) => (b.finishedAt ?? b.updatedAt).localeCompare(a.finishedAt ?? a.updatedAt));
  for (const job of finished.slice(FINISHED_JOBS_KEPT)) state.delete(job.id);
  return state;
}

function applyJobEvent(job: JobView, event: Envelope<JobEventType>): JobView {
  switch (event.type) {
    case 'job_status_changed': {
      const { to, attempt, phase, error, retryAt, skipped } = event.data;
      const finished = to === 'completed' || to === 'failed' || to === 'cancelled';
      const restarted = to === 'queued' || (to === 'running' && job.status !== 'running');
      return {
        ...job,
        status: to,
        attempt,
        phase: phase ?? job.phase,
        lastError: error ?? (to === 'completed' ? null : job.lastError),
        retryAt,
        // Tracks left to another job or enriched recently; events from before skipping existed lack it.
        tracksSkipped: skipped ?? job.tracksSkipped,
        updatedAt: event.at,
        startedAt: to === 'running' ? (job.startedAt ?? event.at) : job.startedAt,
        finishedAt: finished ? event.at : null,
        cancelRequested: finished ? false : job.cancelRequested,
        // A retry starts its phases over.
        phaseProgress: restarted && job.status !== 'running' && job.status !== 'queued'
          ? emptyPhases(job.tracksTotal)
          : job.phaseProgress,
        chartmetric: restarted ? null : job.chartmetric,
      };
    }
    case 'enrichment_phase': {
      const { phase, state, tracksTotal, error } = event.data;
      const before = job.phaseProgress[phase];
      return {
        ...job,
        phase,
        tracksTotal: Math.max(job.tracksTotal, tracksTotal),
        lastError: error ?? job.lastError,
        phaseProgress: {
          ...job.phaseProgress,
          [phase]: {
            state,
            total: tracksTotal,
            done: state === 'completed' ? tracksTotal : state === 'started' ? 0 : before.done,
            error,
          },
        },
      };
    }
    case 'batch_complete': {
      const { phase, done, total, skipped } = event.data;
      const before = job.phaseProgress[phase];
      return {
        ...job,
        phase,
        // The job counts a track done in its last phase.
        tracksDone: phase === Math.max(...job.phases.filter((p) => p > 0), 0) ? done : job.tracksDone,
        // A batch's tracks another job held (or enriched recently): the job's count grows live.
        tracksSkipped: job.tracksSkipped + (skipped ?? 0),
        phaseProgress: { ...job.phaseProgress, [phase]: { ...before, state: before.state === 'pending' ? 'started' : before.state, done, total } },
      };
    }
    case 'chartmetric_progress':
      return { ...job, chartmetric: { done: event.data.done, total: event.data.total } };
  }
}

export const isActiveJob = (job: JobView) => job.status === 'queued' || job.status === 'running';

/** Newest first, the order the board and the dashboard show. */
export function sortedJobs(state: JobsState): JobView[] {
  return [...state.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

/**
 * A job first seen through its events lacks what only the row has (attempt limit, phases, track
 * total, creation time): take those from the fetched row and keep the live status and progress.
 */
export function mergeFetchedJob(state: JobsState, fetched: JobRow): JobsState {
  const live = state.get(fetched.id);
  const next = new Map(state);
  const fromRow = jobFromRow(fetched);
  next.set(
    fetched.id,
    live
      ? { ...live, maxAttempts: fetched.maxAttempts, phases: fetched.phases, createdAt: fetched.createdAt, tracksTotal: Math.max(live.tracksTotal, fetched.tracksTotal), startedAt: live.startedAt ?? fetched.startedAt }
      : fromRow,
  );
  return next;
}
