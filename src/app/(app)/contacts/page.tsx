import { ContactsPage } from '~/components/contacts/contacts-page';
import { boardInputOf, contactsViewOf } from '~/components/contacts/contacts-query';
import { leadsListInput, parseLeadsQuery } from '~/components/songwriters/leads-query';
import { PageHeader } from '~/components/ui/card';
import { HydrateClient, liveStart, trpc } from '~/trpc/server';

export const metadata = { title: 'Contacts · Linernotes' };

/**
 * The contacts board or list, rendered from the URL. The stream's position is taken before the
 * board (or list) is read, so every move after that read reaches the page live.
 */
export default async function ContactsRoute({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const query = parseLeadsQuery(params);
  const view = contactsViewOf(params.view);
  const start = await liveStart<{ position: string | null }>((caller) => caller.leads({}));
  if (view === 'board') await trpc.contacts.board.prefetch(boardInputOf(query));
  else await trpc.songwriters.list.prefetch(leadsListInput(query, { contactsOnly: true }));
  return (
    <HydrateClient>
      <PageHeader
        title="Contacts"
        description="The songwriters the team is pursuing, from first look to signed. Drag a card to change its stage or its place in the column (or use the card's own controls); everyone sees the move at once."
      />
      <ContactsPage startFrom={start?.position ?? null} renderedView={view} />
    </HydrateClient>
  );
}
