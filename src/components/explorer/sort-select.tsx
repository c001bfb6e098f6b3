'use client';
/** The explorer's sort as two selects: every sortable field (some have no column header) and the direction. */
import { sortFields, type ExplorerSort, type SortField } from './explorer-query';

const fieldLabels: Record<SortField, string> = {
  name: 'Name',
  artist: 'Artist',
  label: 'Label',
  streams: 'Streams',
  popularity: 'Popularity',
  releaseDate: 'Release date',
  firstSeenAt: 'First seen',
  enrichedAt: 'Enriched',
};

const selectClass = 'rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none';

export function SortSelect({ sort, onSort }: { sort: ExplorerSort; onSort: (sort: ExplorerSort) => void }) {
  return (
    <div className="flex items-center gap-1.5 text-xs text-zinc-600">
      <label htmlFor="explorer-sort-field">Sort by</label>
      <select id="explorer-sort-field" value={sort.field} onChange={(event) => onSort({ ...sort, field: event.target.value as SortField })} className={selectClass}>
        {sortFields.map((field) => (
          <option key={field} value={field}>
            {fieldLabels[field]}
          </option>
        ))}
      </select>
      <label htmlFor="explorer-sort-dir" className="sr-only">Direction</label>
      <select id="explorer-sort-dir" value={sort.dir} onChange={(event) => onSort({ ...sort, dir: event.target.value as ExplorerSort['dir'] })} className={selectClass}>
        <option value="asc">ascending</option>
        <option value="desc">descending</option>
      </select>
    </div>
  );
}
