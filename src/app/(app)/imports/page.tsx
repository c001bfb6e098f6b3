import { ImportPage } from '~/components/imports/import-page';
import { PageHeader } from '~/components/ui/card';

export const metadata = { title: 'Import · Linernotes' };

export default function ImportsPage() {
  return (
    <>
      <PageHeader title="Import playlists from CSV" description="Bad rows are skipped and reported; duplicates are recognised; progress updates live." />
      <ImportPage />
    </>
  );
}
