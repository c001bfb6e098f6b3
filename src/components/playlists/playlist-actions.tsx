'use client';
/** Refresh (fetch again and re-enrich what needs it) and remove, for one playlist. */
import { useRouter } from 'next/navigation';
import { api } from '~/trpc/react';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { useMayChange } from '../workspace/workspace-queries';

export function PlaylistActions({ id, name, afterRemove }: { id: string; name: string; afterRemove?: string }) {
  const refresh = api.playlists.refresh.useMutation();
  const remove = api.playlists.remove.useMutation();
  const toast = useToast();
  const router = useRouter();
  const { mayChange, why } = useMayChange();
  return (
    <div className="flex gap-2">
      <Button
        aria-label={`Refresh ${name}`}
        disabled={refresh.isPending || !mayChange}
        title={why}
        onClick={() => refresh.mutate({ id }, { onError: (error) => toast({ tone: 'error', title: `Could not refresh ${name}`, body: error.message }) })}
      >
        {refresh.isPending ? 'Refreshing…' : 'Refresh'}
      </Button>
      <Button
        variant="danger"
        aria-label={`Remove ${name}`}
        disabled={remove.isPending || !mayChange}
        title={why}
        onClick={() => {
          if (!window.confirm(`Stop tracking “${name}”? Its tracks stay if other playlists use them.`)) return;
          remove.mutate(
            { id },
            {
              onSuccess: () => (afterRemove ? router.push(afterRemove) : undefined),
              onError: (error) => toast({ tone: 'error', title: `Could not remove ${name}`, body: error.message }),
            },
          );
        }}
      >
        Remove
      </Button>
    </div>
  );
}
