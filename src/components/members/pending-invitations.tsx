'use client';
/** Invitations not yet used: who, which role, until when; admins and owners see each link and can cancel it. */
import { useState } from 'react';
import { authClient } from '~/trpc/auth-client';
import { authErrorMessage } from '../auth/auth-errors';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { CopyField } from '../ui/copy-field';
import { formatDateTime } from '../ui/number-format';
import { useRefreshWorkspace, type WorkspaceInvitation } from '../workspace/workspace-queries';
import { invitationLink } from './invitation-link';

export function PendingInvitations({ invitations, showLinks, mayCancel }: { invitations: WorkspaceInvitation[]; showLinks: boolean; mayCancel: boolean }) {
  const pending = invitations
    .filter((invitation) => invitation.status === 'pending' && new Date(invitation.expiresAt).getTime() > Date.now())
    .sort((a, b) => new Date(b.expiresAt).getTime() - new Date(a.expiresAt).getTime());
  if (pending.length === 0) return <p className="text-sm text-zinc-500">No pending invitations.</p>;
  return (
    <ul className="divide-y divide-zinc-100" aria-label="Pending invitations">
      {pending.map((invitation) => (
        <PendingInvitation key={invitation.id} invitation={invitation} showLink={showLinks} mayCancel={mayCancel} />
      ))}
    </ul>
  );
}

function PendingInvitation({ invitation, showLink, mayCancel }: { invitation: WorkspaceInvitation; showLink: boolean; mayCancel: boolean }) {
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  const refresh = useRefreshWorkspace();
  const cancel = async () => {
    setBusy(true);
    try {
      const result = await authClient.organization.cancelInvitation({ invitationId: invitation.id });
      if (result.error) toast({ tone: 'error', title: 'Could not cancel the invitation', body: authErrorMessage(result.error) });
      else toast({ tone: 'info', title: `Invitation for ${invitation.email} cancelled`, body: 'Its link no longer works.' });
      await refresh();
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="flex flex-wrap items-end gap-3 py-3" data-testid="pending-invitation" data-email={invitation.email}>
      <div className="min-w-48">
        <p className="text-sm font-medium text-zinc-900">{invitation.email}</p>
        <p className="text-xs text-zinc-500">
          as {invitation.role} · expires {formatDateTime(new Date(invitation.expiresAt).toISOString())}
        </p>
      </div>
      {showLink ? (
        <div className="min-w-64 flex-1">
          <CopyField label={`Invitation link for ${invitation.email}`} value={invitationLink(invitation.id)} />
        </div>
      ) : null}
      {mayCancel ? (
        <Button variant="danger" disabled={busy} onClick={cancel} aria-label={`Cancel the invitation for ${invitation.email}`}>
          Cancel
        </Button>
      ) : null}
    </li>
  );
}
