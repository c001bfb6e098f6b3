'use client';
/** One track's tags: take one off, put an existing one on, or create a new one and put it on. */
import { useState } from 'react';
import { api } from '~/trpc/react';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { useMayChange } from '../workspace/workspace-queries';
import { NewTagForm } from './new-tag-form';
import { TagChip, type ChipTag } from './tag-chip';

export function TrackTagsEditor({ trackId, tags }: { trackId: string; tags: readonly ChipTag[] }) {
  const utils = api.useUtils();
  const toast = useToast();
  const all = api.tags.list.useQuery();
  const { mayChange, why } = useMayChange();
  const [choice, setChoice] = useState('');
  const [creating, setCreating] = useState(false);
  const settle = () => Promise.all([utils.tracks.detail.invalidate({ id: trackId }), utils.tags.list.invalidate()]);
  const apply = api.tags.tagTracks.useMutation({ onSettled: settle });
  const unapply = api.tags.untagTracks.useMutation({ onSettled: settle });
  const onTrack = new Set(tags.map((tag) => tag.id));
  const available = (all.data ?? []).filter((tag) => !onTrack.has(tag.id));
  const fail = (title: string) => (error: { message: string }) => toast({ tone: 'error', title, body: error.message });
  const add = (tagId: string) => apply.mutate({ tagId, trackIds: [trackId] }, { onSuccess: () => setChoice(''), onError: fail('Could not add the tag') });

  return (
    <section aria-label="Tags" className="space-y-2" data-testid="track-tags">
      <div className="flex flex-wrap items-center gap-1.5">
        {tags.length === 0 ? <span className="text-sm text-zinc-400">No tags</span> : null}
        {tags.map((tag) => (
          <TagChip key={tag.id} tag={tag} disabled={!mayChange || unapply.isPending} onRemove={mayChange ? () => unapply.mutate({ tagId: tag.id, trackIds: [trackId] }, { onError: fail(`Could not remove ${tag.name}`) }) : undefined} />
        ))}
      </div>
      {mayChange ? (
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor={`add-tag-${trackId}`} className="sr-only">Tag to add</label>
          <select
            id={`add-tag-${trackId}`}
            value={choice}
            onChange={(event) => setChoice(event.target.value)}
            className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
          >
            <option value="">{available.length === 0 ? 'No other tags' : 'Add a tag…'}</option>
            {available.map((tag) => (
              <option key={tag.id} value={tag.id}>
                {tag.name}
              </option>
            ))}
          </select>
          <Button className="px-2.5 py-1 text-xs" disabled={!choice || apply.isPending} onClick={() => add(choice)}>
            Add
          </Button>
          <Button variant="ghost" className="px-2 py-1 text-xs" aria-expanded={creating} onClick={() => setCreating((was) => !was)}>
            {creating ? 'Cancel new tag' : 'New tag…'}
          </Button>
        </div>
      ) : (
        <p className="text-xs text-zinc-500">{why}</p>
      )}
      {creating && mayChange ? (
        <NewTagForm
          compact
          onCreated={(tag) => {
            setCreating(false);
            add(tag.id);
          }}
        />
      ) : null}
    </section>
  );
}
