import type { ReactNode } from 'react';
import { LiveDataProvider } from '~/components/live/live-data-provider';
import { AppShell } from '~/components/shell/app-shell';

/** The signed-in app: the workspace's live data, subscribed once for every page, inside the shell. */
export default function AppLayout({ children }: { children: ReactNode }) {
  return (
    <LiveDataProvider>
      <AppShell>{children}</AppShell>
    </LiveDataProvider>
  );
}
