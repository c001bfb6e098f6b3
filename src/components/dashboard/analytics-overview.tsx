'use client';
/** The dashboard's numbers, replaced whenever analytics_updated arrives. */
import { useLiveData } from '../live/live-data-provider';
import { Card, EmptyState } from '../ui/card';
import { LocalTime } from '../ui/local-time';
import { formatCount } from '../ui/number-format';

const trackStatusColors = { pending: 'bg-zinc-300', enriching: 'bg-sky-500', completed: 'bg-emerald-500', failed: 'bg-rose-500' } as const;

function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm">
      <p className="text-xs font-medium text-zinc-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tracking-tight text-zinc-900 tabular-nums" data-testid={testId}>
        {formatCount(value)}
      </p>
    </div>
  );
}

export function AnalyticsOverview() {
  const { playlists, loaded } = useLiveData();
  const analytics = playlists.analytics;
  if (!loaded.playlists) return <p className="text-sm text-zinc-500">Loading analytics…</p>;
  if (!analytics) return <EmptyState>Analytics appear after the first refresh, once there is something to count.</EmptyState>;
  const { data } = analytics;
  const statusTotal = Object.values(data.tracksByStatus).reduce((sum, count) => sum + (count ?? 0), 0);
  return (
    <div className="space-y-4" data-testid="analytics" data-refreshed-at={analytics.refreshedAt}>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Playlists" value={data.playlists} testId="analytics-playlists" />
        <Stat label="Tracks" value={data.tracks} testId="analytics-tracks" />
        <Stat label="Followers" value={data.totalFollowers} testId="analytics-followers" />
        <Stat label="Streams" value={data.totalStreams} testId="analytics-streams" />
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <Card title="Tracks by enrichment status" labelledBy="tracks-by-status">
          <div className="flex h-3 overflow-hidden rounded-full bg-zinc-100" role="img" aria-label={Object.entries(data.tracksByStatus).map(([status, count]) => `${count} ${status}`).join(', ')}>
            {(Object.keys(trackStatusColors) as (keyof typeof trackStatusColors)[]).map((status) => {
              const count = data.tracksByStatus[status] ?? 0;
              return statusTotal > 0 && count > 0 ? <div key={status} className={trackStatusColors[status]} style={{ width: `${(count / statusTotal) * 100}%` }} /> : null;
            })}
          </div>
          <ul className="mt-3 grid grid-cols-2 gap-x-8 gap-y-1 text-sm">
            {(Object.keys(trackStatusColors) as (keyof typeof trackStatusColors)[]).map((status) => (
              <li key={status} className="flex items-center gap-2">
                <span aria-hidden className={`size-2 rounded-full ${trackStatusColors[status]}`} />
                <span className="text-zinc-600">{status}</span>
                <span className="ml-auto font-medium tabular-nums">{formatCount(data.tracksByStatus[status] ?? 0)}</span>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Top labels" labelledBy="top-labels">
          {data.topLabels.length === 0 ? (
            <p className="text-sm text-zinc-500">No labels found yet.</p>
          ) : (
            <ol className="space-y-1.5 text-sm">
              {data.topLabels.slice(0, 6).map((label) => (
                <li key={label.label} className="flex justify-between gap-2">
                  <span className="truncate text-zinc-700">{label.label}</span>
                  <span className="font-medium tabular-nums">{formatCount(label.tracks)}</span>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
      <p className="text-xs text-zinc-400">Refreshed at <LocalTime iso={analytics.refreshedAt} format="time" /></p>
    </div>
  );
}
