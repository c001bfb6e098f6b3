'use client';
/** /songwriters: every songwriter of the workspace as a lead, best score first, filtered by the URL. */
import { LeadsFilters } from './leads-filters';
import { LeadsList } from './leads-list';
import { leadsExportHref } from './leads-query';
import { useLeadsUrl } from './use-leads-url';

export function ExportLeadsLink({ href }: { href: string }) {
  return (
    <a
      href={href}
      download
      data-testid="export-leads"
      className="rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      Export leads (CSV)
    </a>
  );
}

export function SongwritersPage({ startFrom }: { startFrom: string | null }) {
  const { query, setQuery, setPage } = useLeadsUrl();
  return (
    <div className="space-y-4" data-testid="songwriters-page">
      <div className="flex flex-wrap items-center justify-end gap-2">
        <ExportLeadsLink href={leadsExportHref(query)} />
      </div>
      <LeadsFilters query={query} setQuery={setQuery} />
      <LeadsList query={query} setQuery={setQuery} setPage={setPage} startFrom={startFrom} />
    </div>
  );
}
