'use client';
/**
 * Delete the workspace and everything in it (owners only). The name must be typed to confirm;
 * afterwards the app acts for another workspace of theirs.
 */
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { authClient } from '~/trpc/auth-client';
import { useLiveConnection } from '~/trpc/react';
import { authErrorMessage } from '../auth/auth-errors';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { FormError } from '../ui/form-error';
import { TextField } from '../ui/text-field';
import { ensureActiveWorkspace } from '../workspace/ensure-active-workspace';
import { useRefreshWorkspace } from '../workspace/workspace-queries';
import { roleMay, type WorkspaceRole } from '../workspace/workspace-roles';

export function DeleteWorkspace({ workspace, role }: { workspace: { id: string; name: string }; role: WorkspaceRole }) {
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { reconnect } = useLiveConnection();
  const refresh = useRefreshWorkspace();
  const toast = useToast();
  const router = useRouter();
  const mayDelete = roleMay(role, { organization: ['delete'] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await authClient.organization.delete({ organizationId: workspace.id });
      if (result.error) return setError(authErrorMessage(result.error));
      toast({ tone: 'info', title: `${workspace.name} was deleted` });
      await ensureActiveWorkspace().catch(() => false);
      await reconnect();
      await refresh();
      router.push('/');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="Delete workspace" labelledBy="delete-workspace-title" className="border-rose-200">
      <p className="mb-3 text-sm text-zinc-600">Deletes its playlists, tracks, jobs, imports, activity, invitations and API keys, for everyone. It cannot be undone.</p>
      {!mayDelete ? (
        <>
          <Button variant="danger" disabled aria-describedby="delete-workspace-reason">Delete workspace…</Button>
          <p id="delete-workspace-reason" className="mt-1 text-xs text-zinc-500">Only an owner can delete the workspace; you are a {role}.</p>
        </>
      ) : !confirming ? (
        <Button variant="danger" onClick={() => setConfirming(true)}>Delete workspace…</Button>
      ) : (
        <form onSubmit={submit} className="space-y-3">
          <TextField label={`Type “${workspace.name}” to confirm`} value={typed} autoComplete="off" onChange={(event) => setTyped(event.target.value)} />
          <FormError message={error} />
          <div className="flex gap-2">
            <Button type="submit" variant="danger" disabled={busy || typed !== workspace.name}>
              {busy ? 'Deleting…' : 'Delete this workspace forever'}
            </Button>
            <Button variant="ghost" onClick={() => setConfirming(false)}>Keep it</Button>
          </div>
        </form>
      )}
    </Card>
  );
}
