'use client';
/** The jobs that are moving right now, at a glance, with a link to the full board. */
import Link from 'next/link';
import { enrichmentPhases, phaseNames, type EnrichmentPhase } from '~/server/events/catalog';
import { isActiveJob, sortedJobs } from '../live/jobs-state';
import { useLiveData } from '../live/live-data-provider';
import { Card } from '../ui/card';
import { ProgressBar } from '../ui/progress-bar';
import { StatusBadge } from '../ui/status-badge';

export function RunningJobs() {
  const { jobs, playlists, loaded } = useLiveData();
  const active = sortedJobs(jobs).filter(isActiveJob).sort((a, b) => (a.status === b.status ? 0 : a.status === 'running' ? -1 : 1));
  return (
    <Card
      title={`Running jobs${loaded.jobs ? ` (${active.length})` : ''}`}
      labelledBy="running-jobs"
      actions={
        <Link href="/jobs" className="rounded text-sm text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
          All jobs
        </Link>
      }
    >
      {!loaded.jobs ? (
        <p className="text-sm text-zinc-500">Loading…</p>
      ) : active.length === 0 ? (
        <p className="text-sm text-zinc-500">Nothing is running. Jobs start when a playlist is added or refreshed.</p>
      ) : (
        <ul className="space-y-3" data-testid="running-jobs">
          {active.slice(0, 8).map((job) => {
            const phase = (job.phase ?? 1) as EnrichmentPhase;
            const progress = job.phaseProgress[phase];
            const name = (job.playlistId && playlists.playlists.get(job.playlistId)?.name) || 'Playlist';
            return (
              <li key={job.id} data-testid="running-job" data-job-id={job.id} className="min-w-0">
                <div className="mb-1 flex items-center justify-between gap-2 text-sm">
                  <span className="truncate font-medium text-zinc-800">{name}</span>
                  <span className="flex shrink-0 items-center gap-2 text-xs text-zinc-500">
                    {job.status === 'running' ? `${phase}/${enrichmentPhases.length} ${phaseNames[phase]}` : null}
                    <StatusBadge status={job.status} />
                  </span>
                </div>
                <ProgressBar value={job.status === 'running' ? progress.done : 0} max={job.status === 'running' ? progress.total : null} label={`Progress of ${name}`} />
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
