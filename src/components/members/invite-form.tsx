'use client';
/**
 * Invite someone by email and role. No email is sent: the link to copy appears at once, and it
 * stays in the pending invitations below until it is used, cancelled or expires (7 days).
 */
import { useState, type FormEvent } from 'react';
import { authClient } from '~/trpc/auth-client';
import { authErrorMessage } from '../auth/auth-errors';
import { Button } from '../ui/button';
import { CopyField } from '../ui/copy-field';
import { FormError } from '../ui/form-error';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';
import { useRefreshWorkspace } from '../workspace/workspace-queries';
import { assignableRoles, roleDescriptions, type WorkspaceRole } from '../workspace/workspace-roles';
import { invitationLink } from './invitation-link';

export function InviteForm({ workspaceId, viewerRole }: { workspaceId: string; viewerRole: WorkspaceRole }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<WorkspaceRole>('member');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ email: string; link: string } | null>(null);
  const refresh = useRefreshWorkspace();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    if (!address) return setError('Write the email address of the person to invite.');
    setBusy(true);
    setError(null);
    try {
      const result = await authClient.organization.inviteMember({ organizationId: workspaceId, email: address, role });
      if (result.error) return setError(authErrorMessage(result.error));
      setCreated({ email: result.data.email, link: invitationLink(result.data.id) });
      setEmail('');
      await refresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="space-y-4">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" aria-label="Invite someone">
        <TextField label="Email to invite" type="email" className="min-w-56 flex-1" required value={email} onChange={(event) => setEmail(event.target.value)} />
        <SelectField
          label="Role for the invitation"
          className="w-44"
          value={role}
          onChange={(event) => setRole(event.target.value as WorkspaceRole)}
          options={assignableRoles(viewerRole).map((option) => ({ value: option, label: option }))}
        />
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create invitation link'}
        </Button>
        <p className="w-full text-xs text-zinc-500">{roleDescriptions[role]}.</p>
      </form>
      <FormError message={error} testId="invite-error" />
      {created ? (
        <div className="rounded-lg border border-emerald-200 bg-emerald-50 p-3" data-testid="new-invitation">
          <CopyField label={`Invitation link for ${created.email}`} value={created.link} testId="new-invitation-link" />
          <p className="mt-2 text-xs text-emerald-900">
            Send this link to {created.email} yourself: no email goes out. It works for 7 days, for that address only.
          </p>
        </div>
      ) : null}
    </div>
  );
}
