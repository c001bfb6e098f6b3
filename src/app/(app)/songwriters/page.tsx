import { leadsListInput, parseLeadsQuery } from '~/components/songwriters/leads-query';
import { SongwritersPage } from '~/components/songwriters/songwriters-page';
import { PageHeader } from '~/components/ui/card';
import { HydrateClient, liveStart, trpc } from '~/trpc/server';

export const metadata = { title: 'Songwriters · Linernotes' };

/**
 * The songwriters of the workspace as leads, rendered from the URL's filter: the stream's position
 * is taken before the page is read, so any change after that read reaches the list live.
 */
export default async function SongwritersRoute({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = parseLeadsQuery(await searchParams);
  const start = await liveStart<{ position: string | null }>((caller) => caller.leads({}));
  await trpc.songwriters.list.prefetch(leadsListInput(query));
  return (
    <HydrateClient>
      <PageHeader
        title="Songwriters"
        description="Everyone credited on your tracks, scored 0–10 for how likely they are to be unsigned: no publisher on their works, a DIY release pathway, early-career playlists, thin metadata. Open one to read why it scored what it did."
      />
      <SongwritersPage startFrom={start?.position ?? null} />
    </HydrateClient>
  );
}
