import { InvitationPage } from '~/components/auth/invitation-page';

export const metadata = { title: 'Invitation · Linernotes' };

export default async function InvitePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <InvitationPage invitationId={id} />;
}
