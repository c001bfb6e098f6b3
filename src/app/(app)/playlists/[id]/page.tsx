import { PlaylistDetail } from '~/components/playlists/playlist-detail';
import type { TracksSnapshot } from '~/components/live/tracks-state';
import { HydrateClient, liveStart, trpc } from '~/trpc/server';

export const metadata = { title: 'Playlist · Linernotes' };

/** One playlist, rendered with its tracks and weekly history; its tracks stream resumes from where the server read them. */
export default async function PlaylistPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [tracks] = await Promise.all([
    liveStart<TracksSnapshot>((caller) => caller.trackStatus({ playlistId: id })),
    trpc.playlists.history.prefetch({ id }),
  ]);
  return (
    <HydrateClient>
      <PlaylistDetail playlistId={id} initialTracks={tracks} />
    </HydrateClient>
  );
}
