'use client';
/** Re-enrich this one track, choosing the phases (catalog, credits, stats, rights). */
import { useState } from 'react';
import type { EnrichmentPhase } from '~/server/events/catalog';
import { api } from '~/trpc/react';
import { useToast } from '../toasts/toast-provider';
import { allPhases, PhaseChoice } from '../tracks/phase-choice';
import { Button } from '../ui/button';
import { useMayChange } from '../workspace/workspace-queries';

export function ReenrichTrackPhases({ trackId, name, busy }: { trackId: string; name: string; busy: boolean }) {
  const [phases, setPhases] = useState<EnrichmentPhase[]>(allPhases);
  const reenrich = api.tracks.reenrich.useMutation();
  const toast = useToast();
  const { mayChange, why } = useMayChange();
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-lg bg-zinc-50 px-3 py-2" title={why}>
      <PhaseChoice idPrefix={`reenrich-${trackId}`} value={phases} onChange={setPhases} disabled={!mayChange} />
      <Button
        className="ml-auto px-2.5 py-1 text-xs"
        disabled={!mayChange || busy || reenrich.isPending || phases.length === 0}
        onClick={() =>
          reenrich.mutate(
            { id: trackId, phases },
            {
              onSuccess: () => toast({ tone: 'info', title: `Re-enriching ${name}`, body: `Phases ${phases.join(', ')}: follow it on the job board.` }),
              onError: (error) => toast({ tone: 'error', title: `Could not re-enrich ${name}`, body: error.message }),
            },
          )
        }
      >
        {reenrich.isPending ? 'Queuing…' : 'Re-enrich'}
      </Button>
    </div>
  );
}
