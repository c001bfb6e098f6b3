import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { isMerged, type SongwriterAnswer } from '~/components/songwriters/songwriter-types';
import { SongwriterView } from '~/components/songwriters/songwriter-view';
import { HydrateClient, liveStart, orNull, trpc } from '~/trpc/server';

export const metadata = { title: 'Songwriter · Linernotes' };

/**
 * One songwriter, rendered on the server. The stream's position is taken before the record is
 * read, so whatever changes it after that read reaches the page through the stream. A record
 * merged into another redirects to the one that holds its credits now.
 */
export default async function SongwriterRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Not an id at all: nothing to read or to follow live.
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) notFound();
  const start = await liveStart<{ position: string | null }>((caller) => caller.leads({ songwriterId: id }));
  const detail: SongwriterAnswer | null = await orNull(trpc.songwriters.get({ id }));
  if (detail && isMerged(detail)) redirect(`/songwriters/${detail.mergedInto}`);
  return (
    <HydrateClient>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm text-zinc-500">
        <Link href="/songwriters" className="hover:underline">Songwriters</Link> <span aria-hidden>/</span> <span className="text-zinc-800">{detail?.name ?? 'Songwriter'}</span>
      </nav>
      <SongwriterView songwriterId={id} initial={detail} startFrom={start?.position ?? null} />
    </HydrateClient>
  );
}
