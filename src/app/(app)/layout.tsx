import type { ReactNode } from 'react';
import { LiveDataProvider, type InitialLiveData } from '~/components/live/live-data-provider';
import { AppShell } from '~/components/shell/app-shell';
import { TrackPanelProvider } from '~/components/track-detail/track-panel-provider';
import { HydrateClient, liveStart, trpc } from '~/trpc/server';

// Every page here is the signed-in person's own data, read per request.
export const dynamic = 'force-dynamic';

/**
 * The signed-in app: the workspace's live data, subscribed once for every page, inside the shell.
 * The server reads each stream's snapshot (and the position it was taken at) so the first HTML
 * already shows playlists, jobs, imports and activity, and the browser's streams continue from
 * there without a gap.
 */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const [jobs, imports, playlists, activity] = await Promise.all([
    liveStart<NonNullable<InitialLiveData['jobs']>['snapshot']>((caller) => caller.jobStatus({})),
    liveStart<NonNullable<InitialLiveData['imports']>['snapshot']>((caller) => caller.importProgress({})),
    liveStart<NonNullable<InitialLiveData['playlists']>['snapshot']>((caller) => caller.playlistUpdates({})),
    liveStart<NonNullable<InitialLiveData['activity']>['snapshot']>((caller) => caller.activityFeed({})),
    trpc.workspace.current.prefetch(),
  ]);
  return (
    <HydrateClient>
      <LiveDataProvider initial={{ jobs, imports, playlists, activity }}>
        <TrackPanelProvider>
          <AppShell>{children}</AppShell>
        </TrackPanelProvider>
      </LiveDataProvider>
    </HydrateClient>
  );
}
