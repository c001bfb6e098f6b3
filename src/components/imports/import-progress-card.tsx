'use client';
/**
 * One import: its two stages live (rows read, then the new playlists fetched by the worker),
 * each with a bar, rates and the ETA while it runs; the summary and failed rows after.
 */
import type { ImportView } from '../live/imports-state';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { LocalTime } from '../ui/local-time';
import { formatCount, formatSeconds } from '../ui/number-format';
import { ProgressBar } from '../ui/progress-bar';
import { StatusBadge } from '../ui/status-badge';
import { api } from '~/trpc/react';
import { ImportErrorTable } from './import-error-table';

function Counter({ label, value, testId, tone = 'text-zinc-900' }: { label: string; value: number | null; testId: string; tone?: string }) {
  return (
    <div className="rounded-lg bg-zinc-50 px-3 py-2">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className={`text-lg font-semibold tabular-nums ${tone}`} data-testid={testId}>
        {formatCount(value)}
      </dd>
    </div>
  );
}

export function ImportProgressCard({ row, expanded }: { row: ImportView; expanded: boolean }) {
  const cancel = api.imports.cancel.useMutation();
  const toast = useToast();
  const active = row.status === 'queued' || row.status === 'running';
  const name = row.filename ?? 'CSV import';
  return (
    <article data-testid="import-card" data-import-id={row.id} data-status={row.status} aria-label={`Import ${name}`} className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex items-center gap-2">
            <StatusBadge status={row.status} testId="import-status" />
            <h3 className="truncate text-sm font-semibold text-zinc-900">{name}</h3>
          </div>
          <p className="mt-1 text-xs text-zinc-500">Started <LocalTime iso={row.createdAt} /></p>
        </div>
        {active ? (
          <Button
            variant="danger"
            aria-label={`Cancel import ${name}`}
            disabled={cancel.isPending || row.cancelRequested}
            onClick={() => cancel.mutate({ importId: row.id }, { onError: (error) => toast({ tone: 'error', title: 'Could not cancel the import', body: error.message }) })}
          >
            {cancel.isPending || row.cancelRequested ? 'Cancelling…' : 'Cancel import'}
          </Button>
        ) : null}
      </div>
      <div className="mt-4">
        <div className="mb-1 flex justify-between text-xs text-zinc-600">
          <span data-testid="import-processed">
            Rows read: {formatCount(row.processed)} of {row.total == null ? '…' : formatCount(row.total)}
          </span>
          {active ? (
            <span data-testid="import-rate">
              {row.total !== null && row.processed >= row.total ? 'all rows read' : row.rowsPerSecond != null ? `${Math.round(row.rowsPerSecond)} rows/s` : '—'} · ETA{' '}
              {formatSeconds(row.etaSeconds)}
            </span>
          ) : row.durationMs != null ? (
            <span>took {formatSeconds(row.durationMs / 1000)}</span>
          ) : null}
        </div>
        <ProgressBar value={row.processed} max={row.total} label={`Rows read of ${name}`} tone={row.status === 'failed' ? 'rose' : row.total !== null && row.processed >= row.total ? 'emerald' : 'indigo'} />
      </div>
      <div className="mt-3">
        <div className="mb-1 flex justify-between text-xs text-zinc-600">
          <span data-testid="import-fetched">
            Playlists fetched: {formatCount(row.fetched)} of {formatCount(row.toFetch)}
            {row.fetchFailed > 0 ? <span className="text-rose-700"> · {formatCount(row.fetchFailed)} failed</span> : null}
          </span>
          {active && row.fetchesPerSecond ? <span data-testid="import-fetch-rate">{Math.round(row.fetchesPerSecond)} playlists/s</span> : null}
        </div>
        <ProgressBar
          value={row.fetched + row.fetchFailed}
          max={row.toFetch > 0 ? row.toFetch : null}
          label={`Playlists fetched for ${name}`}
          tone={row.status === 'failed' ? 'rose' : row.toFetch > 0 && row.fetched + row.fetchFailed >= row.toFetch ? 'emerald' : 'indigo'}
        />
      </div>
      <dl className="mt-4 grid grid-cols-2 gap-2 sm:grid-cols-4" aria-label="Import counters">
        <Counter label="Processed" value={row.processed} testId="import-count-processed" />
        <Counter label="Added" value={row.created} testId="import-count-created" tone="text-emerald-700" />
        <Counter label="Duplicates" value={row.duplicates} testId="import-count-duplicates" tone="text-amber-700" />
        <Counter label="Failed" value={row.failed} testId="import-count-failed" tone="text-rose-700" />
      </dl>
      {!active ? (
        <p className="mt-3 text-sm text-zinc-700" data-testid="import-summary">
          {row.status === 'completed'
            ? `Finished: ${row.created} playlists added, ${row.duplicates} already tracked, ${row.failed} rows failed.`
            : row.status === 'cancelled'
              ? `Cancelled after ${row.processed} rows: ${row.created} playlists were added before it stopped.`
              : `The import failed: ${row.error ?? 'no reason given'}.`}
        </p>
      ) : null}
      {expanded && !active ? <ImportErrorTable importId={row.id} failed={row.failed} /> : null}
    </article>
  );
}
