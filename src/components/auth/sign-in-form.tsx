'use client';
/** Email and password sign-in; afterwards, the page the person was sent here from (`next`). */
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { authClient } from '~/trpc/auth-client';
import { Button } from '../ui/button';
import { FormError } from '../ui/form-error';
import { TextField } from '../ui/text-field';
import { authErrorMessage } from './auth-errors';
import { safeNextPath, useEnterApp } from './enter-app';

export function SignInForm({ next }: { next: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const enterApp = useEnterApp();
  const target = safeNextPath(next);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await authClient.signIn.email({ email: email.trim(), password });
      if (result.error) {
        setError(authErrorMessage(result.error));
        return;
      }
      await enterApp(target);
    } catch {
      setError('The server could not be reached. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="space-y-4" aria-labelledby="sign-in-title">
      <div>
        <h1 id="sign-in-title" className="text-xl font-semibold tracking-tight">Sign in</h1>
        <p className="mt-1 text-sm text-zinc-500">Welcome back to your workspace.</p>
      </div>
      <TextField label="Email" type="email" name="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
      <TextField label="Password" type="password" name="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
      <FormError message={error} testId="auth-error" />
      <Button type="submit" variant="primary" className="w-full" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </Button>
      <p className="text-center text-sm text-zinc-500">
        New here?{' '}
        <Link href={target === '/' ? '/sign-up' : `/sign-up?next=${encodeURIComponent(target)}`} className="font-medium text-indigo-700 hover:underline">
          Create an account
        </Link>
      </p>
    </form>
  );
}
