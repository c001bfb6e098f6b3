'use client';
/** One job on the board: status, current phase, per-phase progress, attempts, last error, actions. */
import Link from 'next/link';
import { enrichmentPhases, phaseNames, type EnrichmentPhase } from '~/server/events/catalog';
import type { JobView } from '../live/jobs-state';
import { StatusBadge } from '../ui/status-badge';
import { LocalTime } from '../ui/local-time';
import { JobActions } from './job-actions';
import { PhaseProgress } from './phase-progress';

export function JobCard({ job, playlistName }: { job: JobView; playlistName: string | null }) {
  const label = playlistName ?? (job.playlistId ? 'a playlist' : 'selected tracks');
  const phases = enrichmentPhases.filter((phase) => job.phases.length === 0 || job.phases.includes(phase));
  return (
    <article
      data-testid="job-card"
      data-job-id={job.id}
      data-status={job.status}
      data-phase={job.phase ?? ''}
      aria-label={`Job for ${label}`}
      className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge status={job.status} testId="job-status" />
            {job.status === 'running' && job.phase ? (
              <span className="text-xs font-medium text-indigo-700" data-testid="job-phase">
                Phase {job.phase}/{enrichmentPhases.length} · {phaseNames[job.phase as EnrichmentPhase]}
              </span>
            ) : null}
          </div>
          <h3 className="mt-1.5 truncate text-sm font-semibold text-zinc-900">
            {job.playlistId ? (
              <Link href={`/playlists/${job.playlistId}`} className="hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
                {label}
              </Link>
            ) : (
              label
            )}
          </h3>
          <p className="mt-0.5 text-xs text-zinc-500">
            Attempt {job.attempt}
            {job.maxAttempts ? ` of ${job.maxAttempts}` : ''} · created <LocalTime iso={job.createdAt} />
            {job.tracksTotal ? ` · ${job.tracksTotal} tracks` : ''}
            {job.tracksSkipped ? (
              <span title="Left alone: another job was enriching them, or they were enriched recently" data-testid="job-skipped">
                {` · ${job.tracksSkipped} skipped`}
              </span>
            ) : null}
          </p>
        </div>
        <JobActions job={job} label={label} />
      </div>
      <div className="mt-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {phases.map((phase) => (
          <PhaseProgress key={phase} job={job} phase={phase} />
        ))}
      </div>
      {job.lastError ? (
        <p className="mt-3 rounded-md bg-rose-50 px-3 py-2 text-xs break-words text-rose-800" data-testid="job-error">
          <span className="font-semibold">Last error:</span> {job.lastError}
          {job.retryAt && job.status === 'queued' ? <> · retrying at <LocalTime iso={job.retryAt} format="time" /></> : ''}
        </p>
      ) : null}
    </article>
  );
}
