import { OpsPage } from '~/components/ops/ops-page';

export const metadata = { title: 'Ops · Linernotes' };

export default function Ops() {
  return <OpsPage />;
}
