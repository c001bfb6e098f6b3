'use client';
/** Every tracked playlist with its live numbers; followers and metrics change in place. */
import Link from 'next/link';
import { useLiveData } from '../live/live-data-provider';
import type { PlaylistRow } from '../live/playlists-state';
import { EmptyState } from '../ui/card';
import { formatCount, formatShare } from '../ui/number-format';
import { ProgressBar } from '../ui/progress-bar';
import { PlaylistActions } from './playlist-actions';

export const playlistLabel = (playlist: PlaylistRow) => playlist.name || playlist.spotifyId;

export function PlaylistTable() {
  const { playlists, loaded } = useLiveData();
  const rows = [...playlists.playlists.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  if (!loaded.playlists) return <p className="text-sm text-zinc-500">Loading playlists…</p>;
  if (rows.length === 0) return <EmptyState>No playlists yet. Paste a Spotify link above, or import a CSV of them.</EmptyState>;
  return (
    <div className="relative overflow-x-auto rounded-xl border border-zinc-200 bg-white shadow-sm">
      <table className="w-full min-w-[720px] text-left text-sm">
        <caption className="sr-only">Tracked playlists</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-2.5 font-medium">Playlist</th>
            <th scope="col" className="px-4 py-2.5 text-right font-medium">Followers</th>
            <th scope="col" className="px-4 py-2.5 text-right font-medium">Tracks</th>
            <th scope="col" className="w-40 px-4 py-2.5 font-medium">Enriched</th>
            <th scope="col" className="px-4 py-2.5 font-medium"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((playlist) => {
            const share = playlist.metrics?.enrichedShare ?? null;
            return (
              <tr key={playlist.id} data-testid="playlist-row" data-playlist-id={playlist.id} className="align-top hover:bg-zinc-50/60">
                <td className="px-4 py-3">
                  <Link href={`/playlists/${playlist.id}`} className="font-medium text-zinc-900 hover:text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
                    {playlistLabel(playlist)}
                  </Link>
                  <p className="text-xs text-zinc-500">{playlist.curator ? `by ${playlist.curator}` : playlist.spotifyId}</p>
                  {playlist.fetchStatus === 'pending' ? (
                    <p data-testid="playlist-pending" className="mt-1 text-xs text-amber-700">
                      Waiting to be fetched (import)
                    </p>
                  ) : null}
                  {playlist.lastErrorMessage ? (
                    <p role="alert" data-testid="playlist-error" className="mt-1 text-xs break-words text-rose-700">
                      {playlist.lastErrorMessage}
                    </p>
                  ) : null}
                </td>
                <td className="px-4 py-3 text-right tabular-nums" data-testid="playlist-followers">{formatCount(playlist.followers)}</td>
                <td className="px-4 py-3 text-right tabular-nums" data-testid="playlist-track-count">{formatCount(playlist.trackCount)}</td>
                <td className="px-4 py-3">
                  <div className="flex items-center gap-2">
                    <ProgressBar value={share ?? 0} max={1} label={`Enriched share of ${playlistLabel(playlist)}`} tone="emerald" />
                    <span className="w-10 text-right text-xs text-zinc-600 tabular-nums" data-testid="playlist-enriched">{formatShare(share)}</span>
                  </div>
                </td>
                <td className="px-4 py-3">
                  <div className="flex justify-end">
                    <PlaylistActions id={playlist.id} name={playlistLabel(playlist)} />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
