'use client';
/**
 * One page of leads for the filter in the URL (songwriters.list), live: any songwriter or contact
 * change re-reads the page (at most one read per 250 ms), since a new score can move a row in or
 * out of the page as well as change it. Paged by offset, 50 a page.
 */
import { keepPreviousData } from '@tanstack/react-query';
import { api } from '~/trpc/react';
import { EmptyState } from '../ui/card';
import { Button } from '../ui/button';
import { formatCount } from '../ui/number-format';
import { activeLeadsFilterCount, LEADS_PAGE, leadsListInput, type LeadsQuery, type LeadsSort, type SortDir } from './leads-query';
import { LeadsTable } from './leads-table';
import { useLeadsLive, useThrottledRead } from './use-leads-live';

export interface LeadsListProps {
  query: LeadsQuery;
  setQuery: (change: (query: LeadsQuery) => LeadsQuery) => void;
  setPage: (page: number) => void;
  contactsOnly?: boolean;
  /** Where the server read the first page; null: the stream starts from a snapshot (and re-reads). */
  startFrom: string | null;
}

export function LeadsList({ query, setQuery, setPage, contactsOnly = false, startFrom }: LeadsListProps) {
  const utils = api.useUtils();
  const input = leadsListInput(query, { contactsOnly });
  const list = api.songwriters.list.useQuery(input, { placeholderData: keepPreviousData });
  const reread = useThrottledRead(() => void utils.songwriters.list.invalidate());
  useLeadsLive({
    streamKey: contactsOnly ? 'leads:contacts-list' : 'leads:songwriters',
    startFrom,
    onSnapshot: reread,
    onEvents: (events) => {
      if (events.some((event) => event.type !== 'contact_noted')) reread();
    },
  });
  const onSort = (sort: LeadsSort, dir: SortDir) => setQuery((current) => ({ ...current, sort, dir }));

  if (list.isPending) return <p className="text-sm text-zinc-500">Loading songwriters…</p>;
  if (list.error) {
    return (
      <p role="alert" className="rounded-lg border border-zinc-200 bg-white p-4 text-sm text-rose-800">
        {list.error.message}
      </p>
    );
  }
  const { items, total } = list.data;
  const from = (query.page - 1) * LEADS_PAGE;
  if (items.length === 0) {
    if (query.page > 1 && total > 0) {
      return (
        <EmptyState>
          This page is past the end. <button type="button" className="text-indigo-700 underline" onClick={() => setPage(1)}>Go to the first page</button>
        </EmptyState>
      );
    }
    return (
      <EmptyState>
        {activeLeadsFilterCount(query) > 0
          ? 'No songwriter matches these filters.'
          : contactsOnly
            ? 'No contacts yet. Add songwriters as contacts from the Songwriters page.'
            : 'No songwriters yet. They appear as tracks finish enrichment (credits and rights).'}
      </EmptyState>
    );
  }
  return (
    <div className="space-y-3" aria-busy={list.isFetching}>
      <LeadsTable rows={items} sort={query.sort} dir={query.dir} onSort={onSort} caption={contactsOnly ? 'Contacts' : 'Songwriters'} />
      <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-2 text-sm text-zinc-600">
        <p data-testid="leads-count">
          {formatCount(from + 1)}–{formatCount(from + items.length)} of {formatCount(total)}
        </p>
        <div className="flex gap-2">
          <Button disabled={query.page <= 1} onClick={() => setPage(query.page - 1)}>Previous</Button>
          <Button disabled={from + items.length >= total} onClick={() => setPage(query.page + 1)}>Next</Button>
        </div>
      </nav>
    </div>
  );
}
