/** A songwriter's catalog: their credited tracks, the playlists those are on, labels with their release pathway, publishers. */
import Link from 'next/link';
import { TrackNameButton } from '../track-detail/track-name-button';
import { PublisherStatusBadge } from '../track-detail/track-rights';
import { formatCount } from '../ui/number-format';
import type { SongwriterData } from './songwriter-types';

const pathwayLooks: Record<string, { label: string; tone: string }> = {
  diy: { label: 'DIY distributor', tone: 'bg-emerald-50 text-emerald-800 ring-emerald-300' },
  independent_distributor: { label: 'Independent distributor', tone: 'bg-sky-50 text-sky-800 ring-sky-300' },
  independent_label: { label: 'Independent label', tone: 'bg-violet-50 text-violet-800 ring-violet-300' },
  major: { label: 'Major', tone: 'bg-rose-50 text-rose-800 ring-rose-300' },
  unknown: { label: 'Unknown', tone: 'bg-zinc-100 text-zinc-700 ring-zinc-300' },
};

function Heading({ id, children, count }: { id: string; children: string; count: number }) {
  return (
    <h2 id={id} className="text-sm font-semibold text-zinc-900">
      {children} <span className="font-normal text-zinc-500">({count})</span>
    </h2>
  );
}

export function SongwriterTracks({ tracks }: { tracks: SongwriterData['tracks'] }) {
  return (
    <section aria-labelledby="songwriter-tracks-title" className="space-y-2">
      <Heading id="songwriter-tracks-title" count={tracks.length}>Credited tracks</Heading>
      {tracks.length === 0 ? (
        <p className="text-sm text-zinc-400">No credited tracks now (their credits may have moved to another record).</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200">
          <table className="w-full min-w-[760px] text-left text-sm">
            <caption className="sr-only">Tracks crediting this songwriter</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500 uppercase">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">Track</th>
                <th scope="col" className="px-3 py-2 font-medium">Label</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Streams</th>
                <th scope="col" className="px-3 py-2 font-medium">Publisher</th>
                <th scope="col" className="px-3 py-2 font-medium">Credited as</th>
                <th scope="col" className="px-3 py-2 font-medium">Playlists</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {tracks.map((track) => (
                <tr key={track.id} data-testid="songwriter-track" data-track-id={track.id} className="align-top">
                  <td className="max-w-56 px-3 py-2">
                    <TrackNameButton trackId={track.id} name={track.name} />
                    <p className="truncate text-xs text-zinc-500">{track.artist}</p>
                  </td>
                  <td className="max-w-40 truncate px-3 py-2 text-zinc-700">{track.label || <span className="text-zinc-400">—</span>}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatCount(track.streams)}</td>
                  <td className="px-3 py-2"><PublisherStatusBadge status={track.publisherStatus} /></td>
                  <td className="max-w-40 px-3 py-2 text-zinc-700">{track.creditedAs}</td>
                  <td className="max-w-56 px-3 py-2">
                    {track.playlists.length === 0 ? (
                      <span className="text-zinc-400">—</span>
                    ) : (
                      <ul className="space-y-0.5">
                        {track.playlists.map((playlist) => (
                          <li key={playlist.id} className="truncate">
                            <Link href={`/playlists/${playlist.id}`} className="rounded text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
                              {playlist.name || playlist.id}
                            </Link>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function SongwriterReach({ detail }: { detail: SongwriterData }) {
  return (
    <div className="grid gap-5 sm:grid-cols-3">
      <section aria-labelledby="songwriter-playlists-title">
        <Heading id="songwriter-playlists-title" count={detail.playlists.length}>Playlists</Heading>
        {detail.playlists.length === 0 ? (
          <p className="mt-1 text-sm text-zinc-400">On no tracked playlist.</p>
        ) : (
          <ul className="mt-1 space-y-1 text-sm">
            {detail.playlists.map((playlist) => (
              <li key={playlist.id} className="flex justify-between gap-2">
                <Link href={`/playlists/${playlist.id}`} className="truncate rounded text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
                  {playlist.name || playlist.id}
                </Link>
                <span className="shrink-0 text-xs text-zinc-500 tabular-nums">{playlist.tracks} {playlist.tracks === 1 ? 'track' : 'tracks'}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="songwriter-labels-title">
        <Heading id="songwriter-labels-title" count={detail.labelsDetail.length}>Labels</Heading>
        {detail.labelsDetail.length === 0 ? (
          <p className="mt-1 text-sm text-zinc-400">No label known.</p>
        ) : (
          <ul className="mt-1 space-y-1.5 text-sm" data-testid="songwriter-labels">
            {detail.labelsDetail.map((label) => {
              const look = pathwayLooks[label.pathway] ?? pathwayLooks.unknown!;
              return (
                <li key={label.label} className="flex flex-wrap items-center justify-between gap-x-2 gap-y-0.5">
                  <span className="truncate">
                    {label.label} <span className="text-xs text-zinc-500">· {label.tracks}</span>
                  </span>
                  <span data-testid="label-pathway" data-pathway={label.pathway} className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${look.tone}`}>
                    {look.label}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section aria-labelledby="songwriter-publishers-title">
        <Heading id="songwriter-publishers-title" count={detail.publishers.length}>Publishers</Heading>
        {detail.publishers.length === 0 ? (
          <p className="mt-1 text-sm text-zinc-400">No publisher on any of their works.</p>
        ) : (
          <ul className="mt-1 space-y-1 text-sm">
            {detail.publishers.map((publisher) => (
              <li key={`${publisher.name}:${publisher.ipi ?? ''}`}>
                <span className="font-medium">{publisher.name}</span>
                {publisher.ipi ? <span className="font-mono text-xs text-zinc-500"> IPI {publisher.ipi}</span> : null}
                <span className="text-xs text-zinc-500"> · {publisher.works} {publisher.works === 1 ? 'work' : 'works'}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
