import Link from 'next/link';
import { TrackDetail } from '~/components/track-detail/track-detail';
import { HydrateClient, liveStart, trpc } from '~/trpc/server';

export const metadata = { title: 'Track · Linernotes' };

/**
 * One track, rendered on the server. The stream's position is taken before the detail is read,
 * so whatever changes the track after that read reaches the page through the stream.
 */
export default async function TrackPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const start = await liveStart<{ position: string | null }>((caller) => caller.trackExplorer({}));
  await Promise.all([trpc.tracks.detail.prefetch({ id }), trpc.tags.list.prefetch()]);
  return (
    <HydrateClient>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm text-zinc-500">
        <Link href="/tracks" className="hover:underline">Tracks</Link> <span aria-hidden>/</span> <span className="text-zinc-800">Track</span>
      </nav>
      <div className="rounded-xl border border-zinc-200 bg-white p-5 shadow-sm">
        <TrackDetail trackId={id} startFrom={start?.position ?? null} />
      </div>
    </HydrateClient>
  );
}
