'use client';
/**
 * A playlist's weekly history: followers over time, and per week the tracks that joined and left
 * it. Read with playlists.history (rendered on the server), and read again whenever the playlist's
 * membership changes (playlist_tracks_changed on the workspace's playlistUpdates stream).
 */
import { useState } from 'react';
import { api } from '~/trpc/react';
import type { RouterOutputs } from '~/trpc/types';
import { TrackNameButton } from '../track-detail/track-name-button';
import { Card } from '../ui/card';
import { LocalTime } from '../ui/local-time';
import { FollowerChart } from './follower-chart';

type History = RouterOutputs['playlists']['history'];
type Week = History['weeks'][number];
type Change = Week['added'][number];

const SHOWN = 12;

function ChangeList({ title, changes, kind }: { title: string; changes: readonly Change[]; kind: 'added' | 'dropped' }) {
  const [all, setAll] = useState(false);
  const shown = all ? changes : changes.slice(0, SHOWN);
  const tone = kind === 'added' ? 'text-emerald-700' : 'text-rose-700';
  return (
    <div className="min-w-0" data-testid={`history-${kind}-list`} data-count={changes.length}>
      <h4 className={`text-xs font-semibold uppercase ${tone}`}>
        {title} <span className="font-normal text-zinc-500">({changes.length})</span>
      </h4>
      {changes.length === 0 ? (
        <p className="mt-1 text-sm text-zinc-400">None</p>
      ) : (
        <ul className="mt-1 space-y-1 text-sm">
          {shown.map((change) => (
            <li key={`${change.trackId}:${change.at}`} data-testid={`history-${kind}`} data-track-id={change.trackId} className="flex min-w-0 items-baseline gap-2">
              <span aria-hidden className={`${tone} w-3 shrink-0`}>{kind === 'added' ? '+' : '−'}</span>
              <span className="min-w-0 truncate">
                <TrackNameButton trackId={change.trackId} name={change.name} /> <span className="text-zinc-500">· {change.artist}</span>
              </span>
              {change.position != null ? <span className="ml-auto shrink-0 text-xs text-zinc-400 tabular-nums">#{change.position + 1}</span> : null}
            </li>
          ))}
        </ul>
      )}
      {changes.length > SHOWN ? (
        <button type="button" onClick={() => setAll((was) => !was)} className="mt-1 rounded text-xs text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
          {all ? 'Show fewer' : `Show all ${changes.length}`}
        </button>
      ) : null}
    </div>
  );
}

export function PlaylistHistory({ playlistId }: { playlistId: string }) {
  const history = api.playlists.history.useQuery({ id: playlistId });
  return (
    <Card title="Weekly history" labelledBy="playlist-history">
      {history.isPending ? (
        <p className="text-sm text-zinc-500">Loading history…</p>
      ) : history.error ? (
        <p role="alert" className="text-sm text-rose-700">{history.error.message}</p>
      ) : (
        <div className="space-y-5" data-testid="playlist-history">
          <section aria-label="Followers over time">
            <FollowerChart points={history.data.followers} />
          </section>
          {history.data.weeks.length === 0 ? (
            <p className="text-sm text-zinc-500">No changes recorded yet: each refresh records the tracks that joined and left.</p>
          ) : (
            <ol className="space-y-4">
              {history.data.weeks.map((week) => (
                <li key={week.week} data-testid="history-week" data-week={week.week} className="rounded-lg border border-zinc-100 p-3">
                  <h3 className="text-sm font-medium text-zinc-900">
                    Week of <LocalTime iso={week.week} format="date" />
                  </h3>
                  <div className="mt-2 grid gap-4 sm:grid-cols-2">
                    <ChangeList title="Added" changes={week.added} kind="added" />
                    <ChangeList title="Dropped" changes={week.dropped} kind="dropped" />
                  </div>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </Card>
  );
}
