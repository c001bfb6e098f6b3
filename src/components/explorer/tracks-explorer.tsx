'use client';
/**
 * The tracks explorer: every track of the workspace, filtered and sorted by the URL, with saved
 * views, tags, batch actions and CSV export of exactly what is shown. The rows below the filters
 * are mounted once per filter and sort, so the filter fields keep focus while their results change.
 */
import { useState } from 'react';
import { useLiveConnection } from '~/trpc/react';
import { TagsManager } from '../tags/tags-manager';
import { exportHref, explorerQueryString } from './explorer-query';
import { ExplorerFilters } from './explorer-filters';
import { ExplorerResults, type ExplorerFirstPage } from './explorer-results';
import { SavedViewsMenu } from './saved-views-menu';
import { useExplorerUrl } from './use-explorer-url';

export function TracksExplorer({ initial, initialCount, renderedQuery }: { initial: ExplorerFirstPage | null; initialCount: number | null; renderedQuery: string }) {
  const { query, requested, pending, setFilter, setSort, applyQueryString } = useExplorerUrl();
  const queryString = explorerQueryString(query);
  // The server's page belongs to the query and the workspace it was rendered for: another query,
  // or the live connection replaced (another workspace), reads its own.
  const { generation } = useLiveConnection();
  const [renderedGeneration] = useState(generation);
  const fromServer = queryString === renderedQuery && generation === renderedGeneration;
  return (
    <div className="space-y-4" data-testid="tracks-explorer" data-query={queryString} aria-busy={pending}>
      <div className="flex flex-wrap items-center justify-end gap-2">
        {pending ? <span className="mr-auto text-xs text-zinc-500" role="status">Updating…</span> : null}
        <SavedViewsMenu currentQuery={explorerQueryString(requested)} onApply={applyQueryString} />
        <TagsManager />
        <a
          href={exportHref(query)}
          download
          data-testid="export-csv"
          className="rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          Export CSV
        </a>
      </div>
      <ExplorerFilters filter={requested.filter} setFilter={setFilter} />
      <ExplorerResults
        key={`${generation}:${queryString}`}
        query={query}
        queryString={queryString}
        initial={fromServer ? initial : null}
        initialCount={fromServer ? initialCount : null}
        onSort={setSort}
      />
    </div>
  );
}
