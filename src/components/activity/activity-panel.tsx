'use client';
/**
 * The activity panel on every page: the live activity feed, newest first, older rows paged in
 * on request. Collapsing it is remembered per browser.
 */
import { useEffect, useState } from 'react';
import { useLiveData } from '../live/live-data-provider';
import { Button } from '../ui/button';
import { LocalTime } from '../ui/local-time';

const STORAGE_KEY = 'linernotes.activityPanel';

const kindTones: Record<string, string> = {
  error: 'bg-rose-500',
  failed: 'bg-rose-500',
  completed: 'bg-emerald-500',
  import: 'bg-violet-500',
  playlist: 'bg-indigo-500',
  job: 'bg-sky-500',
};

function toneOf(kind: string): string {
  const match = Object.keys(kindTones).find((key) => kind.includes(key));
  return match ? kindTones[match]! : 'bg-zinc-400';
}

export function ActivityPanel() {
  const { activity, loaded, status, loadOlderActivity } = useLiveData();
  const [open, setOpen] = useState(true);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);

  useEffect(() => {
    if (window.localStorage.getItem(STORAGE_KEY) === 'closed') setOpen(false);
  }, []);
  const toggle = () => {
    setOpen((was) => {
      window.localStorage.setItem(STORAGE_KEY, was ? 'closed' : 'open');
      return !was;
    });
  };
  const older = async () => {
    setLoadingOlder(true);
    setOlderError(null);
    try {
      await loadOlderActivity();
    } catch (error) {
      setOlderError(error instanceof Error ? error.message : String(error));
    } finally {
      setLoadingOlder(false);
    }
  };

  return (
    <aside
      aria-label="Activity"
      data-testid="activity-panel"
      className={`border-zinc-200 bg-white lg:sticky lg:top-0 lg:h-screen lg:border-l ${open ? 'lg:w-80' : 'lg:w-12'} flex flex-col border-t lg:border-t-0`}
    >
      <div className={`flex items-center gap-2 border-b border-zinc-100 px-3 py-3 ${open ? 'justify-between' : 'justify-between lg:justify-center'}`}>
        <h2 className={`text-sm font-semibold text-zinc-900 ${open ? '' : 'lg:sr-only'}`}>
          Activity
          {status.activity === 'reconnecting' || status.activity === 'error' ? <span className="ml-2 text-xs font-normal text-amber-700">catching up…</span> : null}
        </h2>
        <button
          type="button"
          onClick={toggle}
          aria-expanded={open}
          aria-controls="activity-list"
          className="rounded-md p-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
          title={open ? 'Collapse activity' : 'Expand activity'}
        >
          <span className="sr-only">{open ? 'Collapse activity panel' : 'Expand activity panel'}</span>
          <svg aria-hidden viewBox="0 0 20 20" className={`size-4 transition-transform ${open ? 'rotate-180 lg:rotate-0' : 'lg:rotate-180'}`} fill="currentColor">
            <path d="M7.3 4.3a1 1 0 0 1 1.4 0l5 5a1 1 0 0 1 0 1.4l-5 5a1 1 0 0 1-1.4-1.4L11.6 10 7.3 5.7a1 1 0 0 1 0-1.4Z" />
          </svg>
        </button>
      </div>
      {open ? (
        <div id="activity-list" className="max-h-96 flex-1 overflow-y-auto lg:max-h-none">
          {!loaded.activity ? (
            <p className="px-4 py-6 text-sm text-zinc-500">Loading activity…</p>
          ) : activity.rows.length === 0 ? (
            <p className="px-4 py-6 text-sm text-zinc-500">Nothing has happened yet. Add a playlist or import a CSV.</p>
          ) : (
            <ol className="divide-y divide-zinc-100" aria-label="Activity, newest first">
              {activity.rows.map((row) => (
                <li key={row.id} data-testid="activity-row" data-activity-id={row.id} data-kind={row.kind} className="flex gap-3 px-4 py-2.5">
                  <span aria-hidden className={`mt-1.5 size-2 shrink-0 rounded-full ${toneOf(row.kind)}`} />
                  <div className="min-w-0">
                    <p className="text-sm break-words text-zinc-800">{row.message}</p>
                    <p className="mt-0.5 text-xs text-zinc-500">
                      <LocalTime iso={row.createdAt} format="time" /> · {row.kind.replaceAll('_', ' ')}
                    </p>
                  </div>
                </li>
              ))}
            </ol>
          )}
          {activity.olderCursor ? (
            <div className="p-3">
              <Button className="w-full" onClick={older} disabled={loadingOlder}>
                {loadingOlder ? 'Loading…' : 'Show older activity'}
              </Button>
              {olderError ? <p role="alert" className="mt-2 text-xs text-rose-700">{olderError}</p> : null}
            </div>
          ) : null}
        </div>
      ) : null}
    </aside>
  );
}
