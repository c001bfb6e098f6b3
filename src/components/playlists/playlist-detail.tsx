'use client';
/** One playlist: live metrics header, its jobs, its tracks grid and its weekly history. */
import Link from 'next/link';
import { useState } from 'react';
import type { LiveStart } from '~/trpc/live-start';
import { JobBoard } from '../jobs/job-board';
import { useLiveData } from '../live/live-data-provider';
import type { TracksSnapshot } from '../live/tracks-state';
import { TracksGrid } from '../tracks/tracks-grid';
import { LocalTime } from '../ui/local-time';
import { formatCount, formatShare } from '../ui/number-format';
import { ProgressBar } from '../ui/progress-bar';
import { PlaylistActions } from './playlist-actions';
import { PlaylistHistory } from './playlist-history';
import { playlistLabel } from './playlist-table';

/** The cover, or a placeholder when there is none or it cannot load (offline, a dead link). */
function PlaylistCover({ url }: { url: string | null }) {
  const [broken, setBroken] = useState(false);
  if (url && !broken) {
    // eslint-disable-next-line @next/next/no-img-element
    return <img src={url} alt="" onError={() => setBroken(true)} className="size-16 shrink-0 rounded-lg object-cover" />;
  }
  return <div aria-hidden className="grid size-16 shrink-0 place-items-center rounded-lg bg-gradient-to-br from-indigo-500 to-violet-600 text-2xl text-white">♪</div>;
}

function Metric({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="rounded-lg bg-zinc-50 px-3 py-2">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums" data-testid={testId}>{value}</dd>
    </div>
  );
}

export function PlaylistDetail({ playlistId, initialTracks = null }: { playlistId: string; initialTracks?: LiveStart<TracksSnapshot> | null }) {
  const { playlists, loaded } = useLiveData();
  const playlist = playlists.playlists.get(playlistId);
  if (!loaded.playlists) return <p className="text-sm text-zinc-500">Loading playlist…</p>;
  if (!playlist)
    return (
      <div className="rounded-xl border border-zinc-200 bg-white p-6 text-sm">
        <p className="font-medium">This playlist is not tracked in this workspace (it may have been removed).</p>
        <Link href="/playlists" className="mt-2 inline-block text-indigo-700 hover:underline">Back to playlists</Link>
      </div>
    );
  const metrics = playlist.metrics;
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500">
        <Link href="/playlists" className="hover:underline">Playlists</Link> <span aria-hidden>/</span> <span className="text-zinc-800">{playlistLabel(playlist)}</span>
      </nav>
      <section aria-labelledby="playlist-title" className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm" data-testid="playlist-header">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="flex min-w-0 gap-4">
            <PlaylistCover url={playlist.imageUrl} />
            <div className="min-w-0">
              <h1 id="playlist-title" className="truncate text-xl font-semibold tracking-tight">{playlistLabel(playlist)}</h1>
              <p className="text-sm text-zinc-500">
                {playlist.curator ? `by ${playlist.curator} · ` : ''}
                <span className="font-mono text-xs">{playlist.spotifyId}</span>
                {playlist.lastFetchedAt ? (
                  <>
                    {' · fetched '}
                    <LocalTime iso={playlist.lastFetchedAt} />
                  </>
                ) : null}
              </p>
              {playlist.description ? <p className="mt-1 line-clamp-2 text-sm text-zinc-600">{playlist.description}</p> : null}
            </div>
          </div>
          <PlaylistActions id={playlist.id} name={playlistLabel(playlist)} afterRemove="/playlists" />
        </div>
        {playlist.lastErrorMessage ? (
          <p role="alert" data-testid="playlist-error" className="mt-3 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
            {playlist.lastErrorCode ? <span className="font-mono text-xs">{playlist.lastErrorCode}</span> : null} {playlist.lastErrorMessage}
          </p>
        ) : null}
        <dl className="mt-4 grid grid-cols-2 gap-2 sm:grid-cols-5">
          <Metric label="Followers" value={formatCount(playlist.followers)} testId="detail-followers" />
          <Metric label="Tracks" value={formatCount(metrics?.trackCount ?? playlist.trackCount)} testId="detail-tracks" />
          <Metric label="Enriched" value={formatShare(metrics?.enrichedShare)} testId="detail-enriched" />
          <Metric label="Avg. popularity" value={metrics?.averagePopularity == null ? '—' : String(Math.round(metrics.averagePopularity))} testId="detail-popularity" />
          <Metric label="Streams" value={formatCount(metrics?.totalStreams)} testId="detail-streams" />
        </dl>
        <ProgressBar className="mt-3" value={metrics?.enrichedShare ?? 0} max={1} label="Share of tracks enriched" tone="emerald" />
      </section>
      <section aria-labelledby="playlist-jobs">
        <h2 id="playlist-jobs" className="mb-2 text-sm font-semibold text-zinc-900">Enrichment jobs</h2>
        <JobBoard playlistId={playlist.id} limitFinished={3} />
      </section>
      <TracksGrid playlistId={playlist.id} expectedCount={playlist.trackCount} initial={initialTracks} />
      <PlaylistHistory playlistId={playlist.id} />
    </div>
  );
}
