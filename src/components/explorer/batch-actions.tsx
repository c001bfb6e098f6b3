'use client';
/**
 * What can be done to the selected rows at once: put a tag on them, take one off, or re-enrich
 * them (one job over exactly those tracks, the chosen phases). Everyone watching sees the result
 * live (track_tags_changed, the job's events).
 */
import { useState } from 'react';
import type { EnrichmentPhase } from '~/server/events/catalog';
import { api } from '~/trpc/react';
import { lookOf } from '../tags/tag-colors';
import { useToast } from '../toasts/toast-provider';
import { allPhases, PhaseChoice } from '../tracks/phase-choice';
import { Button } from '../ui/button';
import { formatCount } from '../ui/number-format';
import { useMayChange } from '../workspace/workspace-queries';

const selectClass = 'rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none';

export function BatchActions({ trackIds, onClear }: { trackIds: string[]; onClear: () => void }) {
  const tags = api.tags.list.useQuery();
  const utils = api.useUtils();
  const toast = useToast();
  const { mayChange, why } = useMayChange();
  const [tagId, setTagId] = useState('');
  const [phases, setPhases] = useState<EnrichmentPhase[]>(allPhases);
  const settle = () => utils.tags.list.invalidate();
  const apply = api.tags.tagTracks.useMutation({ onSettled: settle });
  const unapply = api.tags.untagTracks.useMutation({ onSettled: settle });
  const reenrich = api.tracks.reenrichMany.useMutation();
  const n = trackIds.length;
  const tag = tags.data?.find((one) => one.id === tagId);
  const fail = (title: string) => (error: { message: string }) => toast({ tone: 'error', title, body: error.message });
  if (n === 0) return null;
  return (
    <section aria-label="Selected tracks" data-testid="batch-actions" className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border border-indigo-200 bg-indigo-50 px-3 py-2" title={why}>
      <p className="text-sm font-medium text-indigo-900" aria-live="polite" data-testid="selected-count">
        {formatCount(n)} selected
      </p>
      <div className="flex items-center gap-2">
        <label htmlFor="batch-tag" className="text-xs text-zinc-700">Tag</label>
        <select id="batch-tag" value={tagId} onChange={(event) => setTagId(event.target.value)} className={selectClass} disabled={!mayChange}>
          <option value="">{(tags.data ?? []).length === 0 ? 'No tags yet' : 'Choose…'}</option>
          {(tags.data ?? []).map((one) => (
            <option key={one.id} value={one.id}>
              {one.name}
            </option>
          ))}
        </select>
        {tag ? <span aria-hidden className={`size-3 rounded-full ${lookOf(tag.color).swatch}`} /> : null}
        <Button
          className="px-2.5 py-1 text-xs"
          disabled={!mayChange || !tag || apply.isPending}
          onClick={() =>
            tag &&
            apply.mutate(
              { tagId: tag.id, trackIds },
              { onSuccess: ({ changed }) => toast({ tone: 'success', title: `Tagged ${changed} ${changed === 1 ? 'track' : 'tracks'} “${tag.name}”` }), onError: fail('Could not tag the tracks') },
            )
          }
        >
          Add tag
        </Button>
        <Button
          variant="ghost"
          className="px-2.5 py-1 text-xs"
          disabled={!mayChange || !tag || unapply.isPending}
          onClick={() =>
            tag &&
            unapply.mutate(
              { tagId: tag.id, trackIds },
              { onSuccess: ({ changed }) => toast({ tone: 'info', title: `Took “${tag.name}” off ${changed} ${changed === 1 ? 'track' : 'tracks'}` }), onError: fail('Could not untag the tracks') },
            )
          }
        >
          Remove tag
        </Button>
      </div>
      <div className="flex items-center gap-2">
        <PhaseChoice idPrefix="batch" value={phases} onChange={setPhases} disabled={!mayChange} />
        <Button
          className="px-2.5 py-1 text-xs"
          disabled={!mayChange || phases.length === 0 || reenrich.isPending}
          onClick={() =>
            reenrich.mutate(
              { trackIds, phases },
              { onSuccess: () => toast({ tone: 'info', title: `Re-enriching ${n} ${n === 1 ? 'track' : 'tracks'}`, body: 'One job: follow it on the job board.' }), onError: fail('Could not re-enrich') },
            )
          }
        >
          Re-enrich
        </Button>
      </div>
      <Button variant="ghost" className="ml-auto px-2 py-1 text-xs" onClick={onClear}>
        Clear selection
      </Button>
    </section>
  );
}
