'use client';
/** Who is signed in, their role in this workspace, and signing out. */
import { authClient } from '~/trpc/auth-client';
import { Button } from '../ui/button';
import { useCurrentWorkspace } from '../workspace/workspace-queries';

export function AccountSummary() {
  const current = useCurrentWorkspace();
  const signOut = async () => {
    await authClient.signOut();
    // A full load: nothing of this account (cached rows, open streams) outlives it.
    window.location.assign('/sign-in');
  };
  return (
    <div className="flex items-center gap-2">
      {current.data ? (
        <p className="text-right text-xs leading-tight" data-testid="account-summary">
          <span className="block max-w-36 truncate font-medium text-zinc-900">{current.data.caller.name}</span>
          <span className="text-zinc-500" data-testid="account-role">{current.data.role}</span>
        </p>
      ) : null}
      <Button variant="ghost" className="px-2 py-1 text-xs" onClick={signOut}>
        Sign out
      </Button>
    </div>
  );
}
