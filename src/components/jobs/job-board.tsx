'use client';
/** Jobs grouped by what a person does with them: watch the running, retry the failed. */
import { useState } from 'react';
import { useLiveData } from '../live/live-data-provider';
import { sortedJobs, type JobView } from '../live/jobs-state';
import { EmptyState } from '../ui/card';
import { JobCard } from './job-card';

const columns = [
  { key: 'running', label: 'Running' },
  { key: 'queued', label: 'Queued' },
  { key: 'failed', label: 'Failed' },
  { key: 'completed', label: 'Completed' },
  { key: 'cancelled', label: 'Cancelled' },
] as const;

type Filter = (typeof columns)[number]['key'] | 'all';

export function JobBoard({ playlistId, limitFinished }: { playlistId?: string; limitFinished?: number }) {
  const { jobs, playlists, loaded } = useLiveData();
  const [filter, setFilter] = useState<Filter>('all');
  const all = sortedJobs(jobs).filter((job) => !playlistId || job.playlistId === playlistId);
  const nameOf = (job: JobView) => (job.playlistId ? (playlists.playlists.get(job.playlistId)?.name || null) : null);
  const counts = Object.fromEntries(columns.map((column) => [column.key, all.filter((job) => job.status === column.key).length]));
  if (!loaded.jobs) return <p className="text-sm text-zinc-500">Loading jobs…</p>;
  if (all.length === 0) return <EmptyState>No enrichment jobs yet. Adding a playlist starts one.</EmptyState>;
  return (
    <div>
      <div role="group" aria-label="Show jobs by status" className="mb-4 flex flex-wrap gap-2">
        {(['all', ...columns.map((column) => column.key)] as Filter[]).map((key) => (
          <button
            key={key}
            type="button"
            aria-pressed={filter === key}
            onClick={() => setFilter(key)}
            className={`rounded-full px-3 py-1 text-xs font-medium ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-indigo-600 ${filter === key ? 'bg-indigo-600 text-white ring-indigo-600' : 'bg-white text-zinc-700 ring-zinc-300 hover:bg-zinc-50'}`}
          >
            {key === 'all' ? `All ${all.length}` : `${columns.find((column) => column.key === key)!.label} ${counts[key]}`}
          </button>
        ))}
      </div>
      <div className="space-y-6">
        {columns
          .filter((column) => filter === 'all' || filter === column.key)
          .map((column) => {
            const shown = all.filter((job) => job.status === column.key);
            const finished = column.key === 'completed' || column.key === 'cancelled';
            const visible = finished && limitFinished ? shown.slice(0, limitFinished) : shown;
            if (shown.length === 0) return null;
            return (
              <section key={column.key} aria-labelledby={`jobs-${column.key}`} data-testid={`jobs-${column.key}`}>
                <h2 id={`jobs-${column.key}`} className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">
                  {column.label} <span className="font-normal">({shown.length})</span>
                </h2>
                <div className="grid gap-3">
                  {visible.map((job) => (
                    <JobCard key={job.id} job={job} playlistName={nameOf(job)} />
                  ))}
                </div>
              </section>
            );
          })}
      </div>
    </div>
  );
}
