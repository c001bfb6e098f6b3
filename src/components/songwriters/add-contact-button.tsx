'use client';
/** Makes a songwriter a contact (a card in "New" on the board); members and up. */
import { api } from '~/trpc/react';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { useMayChange } from '../workspace/workspace-queries';

export function AddContactButton({ songwriterId, name, className = '' }: { songwriterId: string; name: string; className?: string }) {
  const utils = api.useUtils();
  const toast = useToast();
  const { mayChange, why } = useMayChange();
  const create = api.contacts.create.useMutation({
    onSuccess: () => {
      toast({ tone: 'success', title: `${name} is a contact`, body: 'In “New” on the contacts board.' });
      void utils.songwriters.invalidate();
      void utils.contacts.board.invalidate();
    },
    onError: (error) => toast({ tone: 'error', title: `Could not add ${name} as a contact`, body: error.message }),
  });
  return (
    <Button
      className={`px-2.5 py-1 text-xs ${className}`}
      disabled={!mayChange || create.isPending}
      title={why}
      aria-label={`Add ${name} as contact`}
      data-testid="add-contact"
      onClick={() => create.mutate({ songwriterId })}
    >
      {create.isPending ? 'Adding…' : 'Add as contact'}
    </Button>
  );
}
