'use client';
/**
 * An invitation link. Signed out: create an account that joins the workspace (or sign in first
 * and come back). Signed in: see which workspace and role, accept, and land in it.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { authClient } from '~/trpc/auth-client';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { FormError } from '../ui/form-error';
import { authErrorMessage, unwrapAuth } from './auth-errors';
import { useEnterApp } from './enter-app';
import { SignUpForm } from './sign-up-form';

export function InvitationPage({ invitationId }: { invitationId: string }) {
  // Read through React Query, not better-auth's useSession: that hook comes from a package the
  // server loads outside Next's bundle, with another copy of React, and fails to render there.
  const session = useQuery({ queryKey: ['auth', 'session'], queryFn: () => unwrapAuth(authClient.getSession()), retry: false });
  if (session.isPending) return <p className="text-sm text-zinc-500">Opening the invitation…</p>;
  if (!session.data) return <SignUpForm invitationId={invitationId} />;
  return <AcceptInvitation invitationId={invitationId} signedInAs={session.data.user.email} />;
}

function AcceptInvitation({ invitationId, signedInAs }: { invitationId: string; signedInAs: string }) {
  const invitation = useQuery({
    queryKey: ['auth', 'invitation', invitationId],
    queryFn: () => unwrapAuth(authClient.organization.getInvitation({ query: { id: invitationId } })),
    retry: false,
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const enterApp = useEnterApp();
  const toast = useToast();

  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await authClient.organization.acceptInvitation({ invitationId });
      if (result.error) {
        setError(authErrorMessage(result.error));
        return;
      }
      // Accepting makes it the session's workspace; say so explicitly all the same, so the new
      // live connection is sure to act for it.
      await authClient.organization.setActive({ organizationId: result.data.invitation.organizationId });
      toast({ tone: 'success', title: `You joined ${invitation.data?.organizationName ?? 'the workspace'}` });
      await enterApp('/');
    } catch {
      setError('The server could not be reached. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  const signOut = async () => {
    await authClient.signOut();
    // A full load: every trace of the previous account goes with it.
    window.location.assign(`/invite/${invitationId}`);
  };

  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold tracking-tight">You’re invited</h1>
      {invitation.isPending ? <p className="text-sm text-zinc-500">Looking up the invitation…</p> : null}
      {invitation.data ? (
        <p className="text-sm text-zinc-700" data-testid="invitation-summary">
          <span className="font-medium">{invitation.data.inviterEmail}</span> invited you to join <span className="font-medium">{invitation.data.organizationName}</span> as{' '}
          <span className="font-medium">{invitation.data.role}</span>.
        </p>
      ) : null}
      <FormError message={invitation.error ? invitation.error.message : error} testId="auth-error" />
      {invitation.data ? (
        <Button variant="primary" className="w-full" disabled={busy} onClick={accept}>
          {busy ? 'Joining…' : `Join ${invitation.data.organizationName}`}
        </Button>
      ) : null}
      <p className="text-sm text-zinc-500">
        Signed in as {signedInAs}.{' '}
        <button type="button" onClick={signOut} className="font-medium text-indigo-700 hover:underline">
          Sign out
        </button>{' '}
        to use another account.
      </p>
    </div>
  );
}
