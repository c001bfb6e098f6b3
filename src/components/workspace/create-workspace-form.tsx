'use client';
/** A new workspace, owned by the person who makes it; they start working in it at once. */
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { newWorkspaceSlug } from '~/server/workspaces/workspace-slug';
import { authClient } from '~/trpc/auth-client';
import { useLiveConnection } from '~/trpc/react';
import { authErrorMessage } from '../auth/auth-errors';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { FormError } from '../ui/form-error';
import { TextField } from '../ui/text-field';

export function CreateWorkspaceForm({ onCreated }: { onCreated?: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { reconnect } = useLiveConnection();
  const toast = useToast();
  const router = useRouter();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError('Give the workspace a name.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await authClient.organization.create({ name: trimmed, slug: newWorkspaceSlug(trimmed) });
      if (result.error) {
        setError(authErrorMessage(result.error));
        return;
      }
      // Creating it made it the session's workspace.
      await reconnect();
      setName('');
      toast({ tone: 'success', title: `Created ${trimmed}`, body: 'You own it; invite people from its Members page.' });
      onCreated?.();
      router.push('/');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="space-y-2">
      <TextField label="New workspace name" value={name} maxLength={80} onChange={(event) => setName(event.target.value)} placeholder="e.g. Sync team" />
      <FormError message={error} />
      <Button type="submit" variant="primary" className="w-full" disabled={busy}>
        {busy ? 'Creating…' : 'Create workspace'}
      </Button>
    </form>
  );
}
