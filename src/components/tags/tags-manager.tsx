'use client';
/**
 * The workspace's tags: create, rename, recolour and delete, in a dialog. Every change reaches the
 * other people live (tag_changed): their chips, filters and pickers read the tags again.
 */
import { useState } from 'react';
import { api } from '~/trpc/react';
import type { RouterOutputs } from '~/trpc/types';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { formatCount } from '../ui/number-format';
import { useMayChange } from '../workspace/workspace-queries';
import { ColorPicker } from './color-picker';
import { NewTagForm } from './new-tag-form';
import type { TagColor } from './tag-colors';

type Tag = RouterOutputs['tags']['list'][number];

function TagRow({ tag, mayChange }: { tag: Tag; mayChange: boolean }) {
  const utils = api.useUtils();
  const toast = useToast();
  const [name, setName] = useState(tag.name);
  const update = api.tags.update.useMutation({ onSettled: () => utils.tags.list.invalidate() });
  const remove = api.tags.remove.useMutation({ onSettled: () => utils.tags.list.invalidate() });
  const fail = (what: string) => (error: { message: string }) => toast({ tone: 'error', title: `Could not ${what} “${tag.name}”`, body: error.message });
  const rename = () => {
    const next = name.trim();
    if (!next || next === tag.name) return setName(tag.name);
    update.mutate({ id: tag.id, name: next }, { onError: (error) => (setName(tag.name), fail('rename')(error)) });
  };
  return (
    <li data-testid="tag-row" data-tag-id={tag.id} className="flex flex-wrap items-center gap-2 py-2">
      <form
        className="flex min-w-0 flex-1 items-center gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          rename();
        }}
      >
        <label className="sr-only" htmlFor={`tag-name-${tag.id}`}>Name of tag {tag.name}</label>
        <input
          id={`tag-name-${tag.id}`}
          value={name}
          maxLength={40}
          disabled={!mayChange}
          onChange={(event) => setName(event.target.value)}
          onBlur={rename}
          className="min-w-0 flex-1 rounded-md border border-zinc-300 px-2 py-1 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none disabled:bg-zinc-50"
        />
      </form>
      <ColorPicker label={`Colour of ${tag.name}`} value={tag.color as TagColor} disabled={!mayChange || update.isPending} onChange={(color) => update.mutate({ id: tag.id, color }, { onError: fail('recolour') })} />
      <span className="w-16 text-right text-xs text-zinc-500 tabular-nums" title="Tracks with this tag">{formatCount(tag.trackCount)} tracks</span>
      <Button
        variant="danger"
        className="px-2 py-1 text-xs"
        disabled={!mayChange || remove.isPending}
        aria-label={`Delete tag ${tag.name}`}
        onClick={() => {
          if (!window.confirm(`Delete the tag “${tag.name}”? It comes off ${tag.trackCount} tracks.`)) return;
          remove.mutate({ id: tag.id }, { onError: fail('delete') });
        }}
      >
        Delete
      </Button>
    </li>
  );
}

export function TagsManager() {
  const [open, setOpen] = useState(false);
  const tags = api.tags.list.useQuery();
  const { mayChange, why } = useMayChange();
  return (
    <>
      <Button onClick={() => setOpen(true)}>Manage tags</Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Tags">
        <div data-testid="tags-manager">
          {!mayChange ? <p className="mb-3 text-sm text-zinc-500">{why}</p> : null}
          <NewTagForm disabled={!mayChange} />
          {tags.isPending ? (
            <p className="mt-4 text-sm text-zinc-500">Loading tags…</p>
          ) : (tags.data ?? []).length === 0 ? (
            <p className="mt-4 text-sm text-zinc-500">No tags yet. Create one above, then tag tracks from the explorer or a track’s page.</p>
          ) : (
            <ul className="mt-3 max-h-96 divide-y divide-zinc-100 overflow-auto">
              {tags.data!.map((tag) => (
                <TagRow key={`${tag.id}:${tag.name}`} tag={tag} mayChange={mayChange} />
              ))}
            </ul>
          )}
        </div>
      </Dialog>
    </>
  );
}
