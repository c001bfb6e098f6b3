'use client';
/**
 * A person's saved explorer views: apply one (its query string becomes the URL), save the current
 * filter and sort under a name (a name in use is overwritten), delete one. Views are per person;
 * another tab of the same person follows through saved_view_changed on the explorer's stream.
 */
import { useState } from 'react';
import { api } from '~/trpc/react';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { useDismissableDetails } from '../ui/use-dismissable-details';
import { normalizeExplorerQuery } from './explorer-query';

export function SavedViewsMenu({ currentQuery, onApply }: { currentQuery: string; onApply: (query: string) => void }) {
  const views = api.views.list.useQuery();
  const utils = api.useUtils();
  const toast = useToast();
  const [name, setName] = useState('');
  const save = api.views.save.useMutation({ onSettled: () => utils.views.list.invalidate() });
  const remove = api.views.remove.useMutation({ onSettled: () => utils.views.list.invalidate() });
  const menu = useDismissableDetails();
  const list = views.data ?? [];
  const current = list.find((view) => normalizeExplorerQuery(new URLSearchParams(view.query)) === currentQuery);
  return (
    <details ref={menu.ref} className="relative" data-testid="saved-views" onKeyDown={menu.onKeyDown}>
      <summary className="inline-flex cursor-pointer list-none items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-600">
        Views{current ? <span className="max-w-32 truncate font-normal text-zinc-500">: {current.name}</span> : null}
        <span aria-hidden className="text-[10px] text-zinc-400">▼</span>
      </summary>
      <div className="absolute right-0 z-30 mt-1 w-80 rounded-lg border border-zinc-200 bg-white p-3 shadow-lg">
        <h2 className="text-xs font-semibold text-zinc-500 uppercase">Saved views</h2>
        {views.isPending ? (
          <p className="mt-2 text-sm text-zinc-500">Loading…</p>
        ) : list.length === 0 ? (
          <p className="mt-2 text-sm text-zinc-500">None yet: set filters, then save them here.</p>
        ) : (
          <ul className="mt-2 max-h-64 space-y-1 overflow-auto">
            {list.map((view) => (
              <li key={view.id} data-testid="saved-view" className="flex items-center gap-1">
                <button
                  type="button"
                  onClick={() => {
                    menu.close();
                    onApply(view.query);
                  }}
                  aria-current={view.id === current?.id ? 'true' : undefined}
                  title={view.query || 'no filter'}
                  className="min-w-0 flex-1 truncate rounded px-2 py-1 text-left text-sm hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-600 aria-[current=true]:font-semibold aria-[current=true]:text-indigo-700"
                >
                  {view.name}
                </button>
                <button
                  type="button"
                  aria-label={`Delete view ${view.name}`}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate({ id: view.id }, { onError: (error) => toast({ tone: 'error', title: `Could not delete ${view.name}`, body: error.message }) })}
                  className="grid size-7 place-items-center rounded text-zinc-400 hover:bg-rose-50 hover:text-rose-700 focus-visible:outline-2 focus-visible:outline-indigo-600"
                >
                  <span aria-hidden>×</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <form
          className="mt-3 flex gap-2 border-t border-zinc-100 pt-3"
          onSubmit={(event) => {
            event.preventDefault();
            if (!name.trim()) return;
            save.mutate(
              { name: name.trim(), query: currentQuery },
              {
                onSuccess: (view) => {
                  setName('');
                  toast({ tone: 'success', title: `Saved “${view.name}”` });
                },
                onError: (error) => toast({ tone: 'error', title: 'Could not save the view', body: error.message }),
              },
            );
          }}
        >
          <label htmlFor="save-view-name" className="sr-only">Name for the current view</label>
          <input
            id="save-view-name"
            value={name}
            maxLength={60}
            placeholder="Save current as…"
            onChange={(event) => setName(event.target.value)}
            className="min-w-0 flex-1 rounded-md border border-zinc-300 px-2 py-1 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
          />
          <Button type="submit" variant="primary" className="px-2.5 py-1 text-xs" disabled={!name.trim() || save.isPending}>
            Save
          </Button>
        </form>
      </div>
    </details>
  );
}
