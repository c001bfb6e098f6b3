'use client';
/**
 * The leads filter is the URL (leads-query.ts). A change pushes a new history entry with the
 * browser's own pushState, which Next's router follows (useSearchParams changes) without asking
 * the server for the page again: the rows are read by react-query for the new filter, and the
 * live stream, which does not depend on the filter, carries on. A reload renders that URL on the
 * server. `extra` keys (the contacts page's `view`) are kept.
 */
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useRef } from 'react';
import { leadsQueryString, parseLeadsQuery, type LeadsQuery } from './leads-query';

export function useLeadsUrl(extraKeys: readonly string[] = []) {
  const pathname = usePathname() ?? '/';
  const searchParams = useSearchParams();
  const text = searchParams?.toString() ?? '';
  const params = useMemo(() => new URLSearchParams(text), [text]);
  const query = useMemo(() => parseLeadsQuery(params), [params]);
  const extra = useMemo(() => Object.fromEntries(extraKeys.map((key) => [key, params.get(key) ?? undefined])), [params, extraKeys]);
  const latest = useRef({ query, extra });
  latest.current = { query, extra };

  const go = useCallback(
    (next: LeadsQuery, nextExtra: Record<string, string | undefined>) => {
      latest.current = { query: next, extra: nextExtra };
      const search = leadsQueryString(next, nextExtra);
      window.history.pushState(null, '', search ? `${pathname}?${search}` : pathname);
    },
    [pathname],
  );
  /** A new filter (back to page 1 unless the change sets the page). */
  const setQuery = useCallback((change: (query: LeadsQuery) => LeadsQuery) => go(change({ ...latest.current.query, page: 1 }), latest.current.extra), [go]);
  const setPage = useCallback((page: number) => go({ ...latest.current.query, page }, latest.current.extra), [go]);
  const setExtra = useCallback((key: string, value: string | undefined) => go(latest.current.query, { ...latest.current.extra, [key]: value }), [go]);

  return { query, extra, setQuery, setPage, setExtra };
}
