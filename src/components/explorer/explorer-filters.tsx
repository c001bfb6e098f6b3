'use client';
/** Every explorer filter, each change a new URL (see use-explorer-url.ts). */
import { useId } from 'react';
import { api } from '~/trpc/react';
import { useLiveData } from '../live/live-data-provider';
import { playlistLabel } from '../playlists/playlist-table';
import { lookOf } from '../tags/tag-colors';
import { Button } from '../ui/button';
import { activeFilterCount, mondayOf, publisherStatuses, trackStatuses, type ExplorerFilter, type PublisherStatus, type TrackStatus } from './explorer-query';
import { LabelsField } from './labels-field';
import { MultiPicker, RangeFields, SearchField, ToggleGroup, YesNoField } from './filter-controls';

type SetFilter = (change: (filter: ExplorerFilter) => ExplorerFilter) => void;

function WeekField({ value, onChange }: { value: string | undefined; onChange: (week: string | undefined) => void }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-zinc-600">First seen in the week of</label>
      <input
        id={id}
        type="date"
        value={value ?? ''}
        title="Any day picks its week (Monday to Sunday, UTC)"
        onChange={(event) => onChange(event.target.value ? mondayOf(event.target.value) : undefined)}
        className="mt-1 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
      />
    </div>
  );
}

export function ExplorerFilters({ filter, setFilter }: { filter: ExplorerFilter; setFilter: SetFilter }) {
  const { playlists } = useLiveData();
  const tags = api.tags.list.useQuery();
  const topLabels = playlists.analytics?.data.topLabels.map((label) => label.label) ?? [];
  const set = <K extends keyof ExplorerFilter>(key: K, value: ExplorerFilter[K]) => setFilter((current) => ({ ...current, [key]: value }));
  const playlistChoices = [...playlists.playlists.values()].sort((a, b) => playlistLabel(a).localeCompare(playlistLabel(b))).map((playlist) => ({ value: playlist.id, label: playlistLabel(playlist) }));
  const tagChoices = (tags.data ?? []).map((tag) => ({ value: tag.id, label: tag.name, decoration: <span aria-hidden className={`size-2.5 shrink-0 rounded-full ${lookOf(tag.color).swatch}`} /> }));
  const count = activeFilterCount(filter);
  return (
    <section aria-label="Filters" className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm" data-testid="explorer-filters">
      <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
        <SearchField value={filter.q ?? ''} onCommit={(q) => set('q', q.trim() || undefined)} />
        <ToggleGroup label="Status" options={trackStatuses} value={filter.statuses ?? []} onChange={(statuses) => set('statuses', statuses as TrackStatus[])} />
        <MultiPicker label="Playlists" choices={playlistChoices} value={filter.playlistIds ?? []} onChange={(ids) => set('playlistIds', ids)} empty="No playlists yet." />
        <MultiPicker label="Tags" choices={tagChoices} value={filter.tagIds ?? []} onChange={(ids) => set('tagIds', ids)} empty="No tags yet: create them with Manage tags." />
      </div>
      <div className="mt-3 flex flex-wrap items-end gap-x-4 gap-y-3">
        <LabelsField labels={filter.labels ?? []} noLabel={filter.noLabel ?? false} suggestions={topLabels} onChange={(labels, noLabel) => setFilter((current) => ({ ...current, labels, noLabel }))} />
        <YesNoField label="Has ISRC" value={filter.hasIsrc} onChange={(value) => set('hasIsrc', value)} />
        <YesNoField label="Has credits" value={filter.hasCredits} onChange={(value) => set('hasCredits', value)} />
        <RangeFields label="Streams" min={filter.streamsMin} max={filter.streamsMax} onChange={(min, max) => setFilter((current) => ({ ...current, streamsMin: min, streamsMax: max }))} />
        <RangeFields label="Popularity" min={filter.popularityMin} max={filter.popularityMax} limit={100} onChange={(min, max) => setFilter((current) => ({ ...current, popularityMin: min, popularityMax: max }))} />
        <WeekField value={filter.firstSeenWeek} onChange={(week) => set('firstSeenWeek', week)} />
        <MultiPicker
          label="Publisher status"
          choices={publisherStatuses.map((status) => ({ value: status, label: status }))}
          value={filter.publisherStatuses ?? []}
          onChange={(statuses) => set('publisherStatuses', statuses as PublisherStatus[])}
          empty=""
        />
        {count > 0 ? (
          <Button variant="ghost" className="ml-auto text-xs" onClick={() => setFilter(() => ({}))}>
            Clear {count} {count === 1 ? 'filter' : 'filters'}
          </Button>
        ) : null}
      </div>
    </section>
  );
}
