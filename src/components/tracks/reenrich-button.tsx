'use client';
/** Run one track through enrichment again (a failed lookup, or data that changed upstream). */
import { api } from '~/trpc/react';
import type { TrackRow } from '../live/tracks-state';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { useMayChange } from '../workspace/workspace-queries';

export function ReenrichButton({ track }: { track: TrackRow }) {
  const reenrich = api.tracks.reenrich.useMutation();
  const toast = useToast();
  const { mayChange, why } = useMayChange();
  const busy = reenrich.isPending || track.enrichmentStatus === 'enriching';
  return (
    <Button
      variant="ghost"
      className="px-2 py-1 text-xs"
      aria-label={`Re-enrich ${track.name} by ${track.artist}`}
      disabled={busy || !mayChange}
      title={why}
      onClick={() =>
        reenrich.mutate(
          { id: track.id },
          { onError: (error) => toast({ tone: 'error', title: `Could not re-enrich ${track.name}`, body: error.message }) },
        )
      }
    >
      Re-enrich
    </Button>
  );
}
