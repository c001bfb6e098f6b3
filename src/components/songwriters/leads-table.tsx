'use client';
/**
 * Songwriters as rows (songwriters.list): name with the other names they are credited as, the
 * unsigned score, publisher status, tracks, streams, labels, the contact's stage and owner. The
 * sortable headers ask the server for another order (the rows are one page of many).
 */
import Link from 'next/link';
import type { ReactNode } from 'react';
import type { RouterOutputs } from '~/trpc/types';
import { PublisherStatusBadge } from '../track-detail/track-rights';
import { formatCount } from '../ui/number-format';
import { AddContactButton } from './add-contact-button';
import { firstDir, type LeadsSort, type SortDir } from './leads-query';
import { ScoreMeter } from './score-meter';
import { StageBadge } from './stage-badge';

export type LeadRow = RouterOutputs['songwriters']['list']['items'][number];

function SortHeader({ field, sort, dir, onSort, children, align = 'left' }: { field: LeadsSort; sort: LeadsSort; dir: SortDir; onSort: (sort: LeadsSort, dir: SortDir) => void; children: ReactNode; align?: 'left' | 'right' }) {
  const current = sort === field;
  return (
    <th scope="col" aria-sort={current ? (dir === 'asc' ? 'ascending' : 'descending') : undefined} className={`px-3 py-2.5 font-medium ${align === 'right' ? 'text-right' : ''}`}>
      <button
        type="button"
        onClick={() => onSort(field, current ? (dir === 'asc' ? 'desc' : 'asc') : firstDir(field))}
        className="inline-flex items-center gap-1 rounded uppercase hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {children}
        <span aria-hidden className="text-[10px]">{current ? (dir === 'asc' ? '▲' : '▼') : ''}</span>
      </button>
    </th>
  );
}

export function LeadsTable({ rows, sort, dir, onSort, caption }: { rows: readonly LeadRow[]; sort: LeadsSort; dir: SortDir; onSort: (sort: LeadsSort, dir: SortDir) => void; caption: string }) {
  const header = { sort, dir, onSort };
  return (
    <div className="relative overflow-x-auto rounded-xl border border-zinc-200 bg-white shadow-sm">
      <table className="w-full min-w-[960px] text-left text-sm" data-testid="leads-table">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500 uppercase">
          <tr>
            <SortHeader field="name" {...header}>Songwriter</SortHeader>
            <SortHeader field="score" {...header}>Score</SortHeader>
            <th scope="col" className="px-3 py-2.5 font-medium">Publisher</th>
            <SortHeader field="tracks" align="right" {...header}>Tracks</SortHeader>
            <SortHeader field="streams" align="right" {...header}>Streams</SortHeader>
            <th scope="col" className="px-3 py-2.5 font-medium">Labels</th>
            <th scope="col" className="px-3 py-2.5 font-medium">Stage</th>
            <th scope="col" className="px-3 py-2.5 font-medium">Owner</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((row) => (
            <tr key={row.id} data-testid="songwriter-row" data-songwriter-id={row.id} data-stage={row.contact?.stage ?? 'none'} className="align-top hover:bg-zinc-50/60">
              <td className="max-w-64 px-3 py-2.5">
                <Link href={`/songwriters/${row.id}`} data-testid="songwriter-name" className="rounded font-medium text-zinc-900 hover:text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
                  {row.name}
                </Link>
                {row.aliases.length > 0 ? <p className="truncate text-xs text-zinc-500" title={row.aliases.join(', ')}>also {row.aliases.join(', ')}</p> : null}
              </td>
              <td className="px-3 py-2.5"><ScoreMeter score={row.score} /></td>
              <td className="px-3 py-2.5"><PublisherStatusBadge status={row.publisherStatus} /></td>
              <td className="px-3 py-2.5 text-right tabular-nums">{formatCount(row.trackCount)}</td>
              <td className="px-3 py-2.5 text-right tabular-nums">{formatCount(row.totalStreams)}</td>
              <td className="max-w-48 truncate px-3 py-2.5 text-zinc-700" title={row.labels.join(', ')}>{row.labels.length > 0 ? row.labels.join(', ') : <span className="text-zinc-400">—</span>}</td>
              <td className="px-3 py-2.5">
                {row.contact ? <StageBadge stage={row.contact.stage} /> : <AddContactButton songwriterId={row.id} name={row.name} />}
              </td>
              <td className="max-w-40 truncate px-3 py-2.5 text-zinc-700">{row.contact?.ownerName ?? <span className="text-zinc-400">{row.contact ? 'Nobody' : '—'}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
