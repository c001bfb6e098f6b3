'use client';
/**
 * The explorer's state is its URL. `update` changes the filter or sort and pushes the new query
 * string (a history entry, so back/forward walk through what was tried); the page re-renders on
 * the server with the first page of the new rows.
 *
 * Two views of it: `query` is what the URL says now (the rows shown belong to it), `requested`
 * what the latest change asked for, which the filter controls show at once, before the navigation
 * has finished. Changes made in quick succession build on each other.
 */
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useRef, useState, useTransition } from 'react';
import { explorerQueryString, parseExplorerQuery, type ExplorerFilter, type ExplorerQuery, type ExplorerSort } from './explorer-query';

export function useExplorerUrl() {
  const router = useRouter();
  const pathname = usePathname() ?? '/tracks';
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();
  const url = searchParams?.toString() ?? '';
  const query = useMemo(() => parseExplorerQuery(new URLSearchParams(url)), [url]);
  const [requested, setRequested] = useState<{ from: string; query: ExplorerQuery } | null>(null);
  // A request made while the URL was `from` is shown until the URL moves on (its navigation, or back/forward).
  const shown = requested && requested.from === url ? requested.query : query;
  const latest = useRef(shown);
  latest.current = shown;

  const go = useCallback(
    (next: ExplorerQuery) => {
      latest.current = next;
      setRequested({ from: url, query: next });
      const text = explorerQueryString(next);
      startTransition(() => router.push(text ? `${pathname}?${text}` : pathname, { scroll: false }));
    },
    [router, pathname, url],
  );
  const setFilter = useCallback((change: (filter: ExplorerFilter) => ExplorerFilter) => go({ filter: clean(change(latest.current.filter)), sort: latest.current.sort }), [go]);
  const setSort = useCallback((sort: ExplorerSort) => go({ filter: latest.current.filter, sort }), [go]);
  const applyQueryString = useCallback((text: string) => go(parseExplorerQuery(new URLSearchParams(text))), [go]);

  return { query, requested: shown, pending, setFilter, setSort, applyQueryString };
}

/** Drops unset fields, empty lists and an unticked "no label", so the URL says only what restricts the rows. */
function clean(filter: ExplorerFilter): ExplorerFilter {
  return Object.fromEntries(
    Object.entries(filter).filter(([key, value]) => value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0) && !(key === 'noLabel' && value === false)),
  ) as ExplorerFilter;
}
