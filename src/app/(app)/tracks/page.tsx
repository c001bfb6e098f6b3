import { EXPLORER_PAGE, explorerQueryString, parseExplorerQuery } from '~/components/explorer/explorer-query';
import { TracksExplorer } from '~/components/explorer/tracks-explorer';
import { PageHeader } from '~/components/ui/card';
import { HydrateClient, orNull, trpc } from '~/trpc/server';

export const metadata = { title: 'Tracks · Linernotes' };

/**
 * The tracks explorer, rendered from its URL: the first page of rows (with the event position it
 * was read at, where the live stream starts), the count, the tags and the person's saved views.
 */
export default async function TracksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = parseExplorerQuery(await searchParams);
  const [page, count] = await Promise.all([
    orNull(trpc.tracks.explore({ filter: query.filter, sort: query.sort, limit: EXPLORER_PAGE })),
    orNull(trpc.tracks.exploreCount({ filter: query.filter })),
    trpc.tags.list.prefetch(),
    trpc.views.list.prefetch(),
  ]);
  return (
    <HydrateClient>
      <PageHeader
        title="Tracks"
        description={
          <>
            Every track in the workspace, live. A row that changes updates in place; a row that no longer matches your filters is dimmed and marked
            “no longer matches” (it goes on the next filter change or refresh) so the grid never jumps while you read; a track that starts matching
            appears highlighted if it sorts among the rows already loaded, otherwise as you scroll.
          </>
        }
      />
      <TracksExplorer initial={page} initialCount={count?.count ?? null} renderedQuery={explorerQueryString(query)} />
    </HydrateClient>
  );
}
