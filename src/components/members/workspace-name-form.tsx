'use client';
/** Rename the workspace (admins and owners); everyone else sees its name. */
import { useState, type FormEvent } from 'react';
import { authClient } from '~/trpc/auth-client';
import { authErrorMessage } from '../auth/auth-errors';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { FormError } from '../ui/form-error';
import { TextField } from '../ui/text-field';
import { useRefreshWorkspace } from '../workspace/workspace-queries';
import { roleMay, type WorkspaceRole } from '../workspace/workspace-roles';

export function WorkspaceNameForm({ workspace, role }: { workspace: { id: string; name: string }; role: WorkspaceRole }) {
  const [name, setName] = useState(workspace.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refresh = useRefreshWorkspace();
  const toast = useToast();
  const mayRename = roleMay(role, { organization: ['update'] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError('Give the workspace a name.');
    setBusy(true);
    setError(null);
    try {
      const result = await authClient.organization.update({ organizationId: workspace.id, data: { name: trimmed } });
      if (result.error) return setError(authErrorMessage(result.error));
      toast({ tone: 'success', title: `Renamed to ${trimmed}` });
      await refresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="Workspace" labelledBy="workspace-settings-title">
      {mayRename ? (
        <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
          <TextField label="Workspace name" className="min-w-56 flex-1" value={name} maxLength={80} required onChange={(event) => setName(event.target.value)} />
          <Button type="submit" variant="primary" disabled={busy || name.trim() === workspace.name}>
            {busy ? 'Saving…' : 'Rename'}
          </Button>
          <div className="w-full">
            <FormError message={error} />
          </div>
        </form>
      ) : (
        <p className="text-sm text-zinc-700">
          <span className="font-medium">{workspace.name}</span>
          <span className="block text-zinc-500">Only admins and owners can rename the workspace; you are a {role}.</span>
        </p>
      )}
    </Card>
  );
}
