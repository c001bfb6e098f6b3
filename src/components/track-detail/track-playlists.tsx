/** The playlists a track is on, with its position on each and when it was added. */
import Link from 'next/link';
import { LocalTime } from '../ui/local-time';
import type { DetailPlaylist } from './track-detail-types';

export function TrackPlaylists({ playlists }: { playlists: readonly DetailPlaylist[] }) {
  return (
    <section aria-labelledby="track-playlists-title">
      <h3 id="track-playlists-title" className="text-sm font-semibold text-zinc-900">
        On playlists <span className="font-normal text-zinc-500">({playlists.length})</span>
      </h3>
      {playlists.length === 0 ? (
        <p className="mt-1 text-sm text-zinc-400">On no tracked playlist now.</p>
      ) : (
        <table className="mt-1 w-full text-left text-sm">
          <caption className="sr-only">Playlists with this track</caption>
          <thead className="text-xs text-zinc-500">
            <tr>
              <th scope="col" className="py-1 font-medium">Playlist</th>
              <th scope="col" className="py-1 text-right font-medium">Position</th>
              <th scope="col" className="py-1 text-right font-medium">Added</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {playlists.map((playlist) => (
              <tr key={playlist.id} data-testid="detail-playlist">
                <td className="max-w-0 truncate py-1.5 pr-2">
                  <Link href={`/playlists/${playlist.id}`} className="rounded text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
                    {playlist.name || playlist.id}
                  </Link>
                </td>
                <td className="py-1.5 text-right tabular-nums">{playlist.position == null ? '—' : `#${playlist.position + 1}`}</td>
                <td className="py-1.5 text-right text-zinc-600"><LocalTime iso={playlist.addedAt} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
