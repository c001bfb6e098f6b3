'use client';
/**
 * /contacts: the songwriters the team is pursuing, as a board by stage (drag cards between and
 * within columns) or as a list, filtered by score band, stage, owner, publisher status and a
 * search, all in the URL (`view=list` for the list). The board takes owner and search from the
 * server and applies the rest to the cards it holds; the list asks the server for all of them.
 */
import { useState } from 'react';
import { LeadsFilters } from '../songwriters/leads-filters';
import { LeadsList } from '../songwriters/leads-list';
import { leadsExportHref } from '../songwriters/leads-query';
import { ExportLeadsLink } from '../songwriters/songwriters-page';
import { useLeadsUrl } from '../songwriters/use-leads-url';
import { ContactsBoard } from './contacts-board';
import { contactsViewOf, type ContactsView } from './contacts-query';

const VIEW_KEYS = ['view'] as const;

export function ContactsPage({ startFrom, renderedView }: { startFrom: string | null; renderedView: ContactsView }) {
  const { query, extra, setQuery, setPage, setExtra } = useLeadsUrl(VIEW_KEYS);
  const view = contactsViewOf(extra.view);
  // The server's position belongs to the view it rendered; the other view reads its own (a snapshot first).
  const [firstView] = useState(renderedView);
  const viewStart = view === firstView ? startFrom : null;
  const tab = (which: ContactsView, label: string) => (
    <button
      type="button"
      role="tab"
      id={`contacts-tab-${which}`}
      aria-selected={view === which}
      aria-controls="contacts-panel"
      onClick={() => setExtra('view', which === 'board' ? undefined : which)}
      className={`rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${view === which ? 'bg-white text-zinc-900 shadow-sm' : 'text-zinc-600 hover:text-zinc-900'}`}
    >
      {label}
    </button>
  );
  return (
    <div className="space-y-4" data-testid="contacts-page" data-view={view}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div role="tablist" aria-label="Contacts view" className="inline-flex gap-1 rounded-lg bg-zinc-100 p-1">
          {tab('board', 'Board')}
          {tab('list', 'List')}
        </div>
        <ExportLeadsLink href={leadsExportHref(query, { contactsOnly: true })} />
      </div>
      <LeadsFilters query={query} setQuery={setQuery} withNoContact={false} />
      <div role="tabpanel" id="contacts-panel" aria-labelledby={`contacts-tab-${view}`}>
        {view === 'board' ? (
          <ContactsBoard query={query} startFrom={viewStart} />
        ) : (
          <LeadsList query={query} setQuery={setQuery} setPage={setPage} contactsOnly startFrom={viewStart} />
        )}
      </div>
    </div>
  );
}
