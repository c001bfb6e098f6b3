import { MembersPage } from '~/components/members/members-page';

export const metadata = { title: 'Members · Linernotes' };

export default function Members() {
  return <MembersPage />;
}
