'use client';
/**
 * "Create your account": name, email, password. With an invitation id (from an invitation link)
 * the new account joins the inviting workspace; otherwise it gets a workspace of its own.
 */
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { authClient, signUpWithEmail } from '~/trpc/auth-client';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { FormError } from '../ui/form-error';
import { TextField } from '../ui/text-field';
import { authErrorMessage } from './auth-errors';
import { safeNextPath, useEnterApp } from './enter-app';

export function SignUpForm({ next, invitationId }: { next?: string | null; invitationId?: string }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const enterApp = useEnterApp();
  const toast = useToast();
  const target = safeNextPath(next);
  const signInHref = invitationId ? `/sign-in?next=${encodeURIComponent(`/invite/${invitationId}`)}` : target === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(target)}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password.length < 8) {
      setError('Choose a password of at least 8 characters.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await signUpWithEmail({ name: name.trim(), email: email.trim(), password, invitationId });
      if (result.error) {
        setError(authErrorMessage(result.error));
        return;
      }
      if (invitationId) await warnIfInvitationWasForSomeoneElse(invitationId);
      await enterApp(invitationId ? '/' : target);
    } catch {
      setError('The server could not be reached. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  // The server joins the account to the inviting workspace only when the invitation is for this
  // email; for another email it quietly gives the account a workspace of its own. Say so.
  const warnIfInvitationWasForSomeoneElse = async (id: string) => {
    const check = await authClient.organization.getInvitation({ query: { id } }).catch(() => null);
    if (check?.error?.code === 'YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION') {
      toast({
        tone: 'error',
        title: 'The invitation is for another email',
        body: 'Your account was created with a workspace of its own. Ask for an invitation to this email address.',
      });
    }
  };

  return (
    <form onSubmit={submit} className="space-y-4" aria-labelledby="sign-up-title">
      <div>
        <h1 id="sign-up-title" className="text-xl font-semibold tracking-tight">{invitationId ? 'Create your account and join' : 'Create your account'}</h1>
        <p className="mt-1 text-sm text-zinc-500">
          {invitationId ? 'Use the email address the invitation was sent to.' : 'You get a workspace of your own; invite your team from its Members page.'}
        </p>
      </div>
      <TextField label="Name" name="name" autoComplete="name" required maxLength={100} value={name} onChange={(event) => setName(event.target.value)} />
      <TextField label="Email" type="email" name="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="new-password"
        required
        minLength={8}
        hint="At least 8 characters."
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <FormError message={error} testId="auth-error" />
      <Button type="submit" variant="primary" className="w-full" disabled={busy}>
        {busy ? 'Creating your account…' : invitationId ? 'Create account and join' : 'Create account'}
      </Button>
      <p className="text-center text-sm text-zinc-500">
        {invitationId ? 'Already have an account? ' : 'Already signed up? '}
        <Link href={signInHref} className="font-medium text-indigo-700 hover:underline">
          {invitationId ? 'Sign in first, then come back to this link' : 'Sign in'}
        </Link>
      </p>
    </form>
  );
}
