'use client';
/** The rows an import could not take, with the reason, a page at a time, and the CSV download. */
import { useState } from 'react';
import { api } from '~/trpc/react';
import { Button } from '../ui/button';

const PAGE = 100;
/** The procedure's largest page; past it the downloaded CSV has every row. */
const MOST_SHOWN = 500;

export function ImportErrorTable({ importId, failed }: { importId: string; failed: number }) {
  // Growing one query's limit rather than useInfiniteQuery: that adds a `direction` key the
  // procedure's strict input refuses.
  const [limit, setLimit] = useState(PAGE);
  const errors = api.imports.errors.useQuery({ importId, limit }, { enabled: failed > 0, placeholderData: (previous) => previous });
  if (failed === 0) return null;
  const rows = errors.data?.items ?? [];
  const more = errors.data?.nextCursor != null;
  return (
    <section aria-labelledby={`errors-${importId}`} className="mt-4" data-testid="import-errors">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h3 id={`errors-${importId}`} className="text-sm font-semibold text-zinc-900">
          Rows that failed ({failed})
        </h3>
        <a
          href={`/api/imports/${encodeURIComponent(importId)}/errors.csv`}
          download
          data-testid="import-errors-download"
          className="rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          Download errors (CSV)
        </a>
      </div>
      {errors.error ? <p role="alert" className="text-sm text-rose-700">{errors.error.message}</p> : null}
      <div className="max-h-72 overflow-auto rounded-lg border border-zinc-200">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Failed rows and why</caption>
          <thead className="sticky top-0 bg-zinc-50 text-xs text-zinc-500 uppercase">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">Row</th>
              <th scope="col" className="px-3 py-2 font-medium">Value</th>
              <th scope="col" className="px-3 py-2 font-medium">Reason</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {rows.map((row) => (
              <tr key={row.rowNumber} data-testid="import-error-row">
                <td className="px-3 py-2 text-zinc-500 tabular-nums">{row.rowNumber}</td>
                <td className="max-w-64 truncate px-3 py-2 font-mono text-xs" title={row.rawValue}>{row.rawValue}</td>
                <td className="px-3 py-2 text-rose-800">{row.reason}</td>
              </tr>
            ))}
            {errors.isLoading ? (
              <tr>
                <td colSpan={3} className="px-3 py-3 text-zinc-500">Loading…</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {more && limit < MOST_SHOWN ? (
        <Button className="mt-2" onClick={() => setLimit((current) => Math.min(MOST_SHOWN, current + PAGE))} disabled={errors.isFetching}>
          {errors.isFetching ? 'Loading…' : 'Show more failed rows'}
        </Button>
      ) : more ? (
        <p className="mt-2 text-xs text-zinc-500">The first {MOST_SHOWN} failed rows are shown; the download has all of them.</p>
      ) : null}
    </section>
  );
}
