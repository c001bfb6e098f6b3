'use client';
/** Start an import, follow it live, and look back at earlier ones. */
import { useState } from 'react';
import { useLiveData } from '../live/live-data-provider';
import { sortedImports } from '../live/imports-state';
import { EmptyState } from '../ui/card';
import { LocalTime } from '../ui/local-time';
import { formatCount } from '../ui/number-format';
import { StatusBadge } from '../ui/status-badge';
import { ImportProgressCard } from './import-progress-card';
import { ImportUploader } from './import-uploader';

export function ImportPage() {
  const { imports, loaded } = useLiveData();
  const [currentId, setCurrentId] = useState<string | null>(null);
  const all = sortedImports(imports);
  const current = (currentId ? imports.get(currentId) : null) ?? all.find((row) => row.status === 'queued' || row.status === 'running') ?? null;
  const past = all.filter((row) => row.id !== current?.id);
  return (
    <div className="space-y-8">
      <ImportUploader onStarted={setCurrentId} />
      {current ? (
        <section aria-labelledby="current-import">
          <h2 id="current-import" className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">
            {current.status === 'queued' || current.status === 'running' ? 'Importing now' : 'Latest import'}
          </h2>
          <ImportProgressCard row={current} expanded />
        </section>
      ) : currentId ? (
        <p className="text-sm text-zinc-500">Starting import…</p>
      ) : null}
      <section aria-labelledby="past-imports">
        <h2 id="past-imports" className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          Past imports
        </h2>
        {!loaded.imports ? (
          <p className="text-sm text-zinc-500">Loading…</p>
        ) : past.length === 0 ? (
          <EmptyState>No earlier imports.</EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 rounded-xl border border-zinc-200 bg-white shadow-sm" data-testid="past-imports">
            {past.map((row) => (
              <li key={row.id}>
                <button
                  type="button"
                  onClick={() => setCurrentId(row.id)}
                  className="flex w-full flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 text-left hover:bg-zinc-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600"
                  aria-label={`Show import ${row.filename ?? row.id}`}
                >
                  <StatusBadge status={row.status} />
                  <span className="min-w-0 flex-1 truncate text-sm font-medium text-zinc-900">{row.filename ?? 'CSV import'}</span>
                  <span className="text-xs text-zinc-500 tabular-nums">
                    {formatCount(row.created)} added · {formatCount(row.duplicates)} duplicates · {formatCount(row.failed)} failed
                  </span>
                  <LocalTime iso={row.createdAt} className="text-xs text-zinc-400" />
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
