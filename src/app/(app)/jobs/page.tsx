import { JobBoard } from '~/components/jobs/job-board';
import { PageHeader } from '~/components/ui/card';

export const metadata = { title: 'Jobs · Linernotes' };

export default function JobsPage() {
  return (
    <>
      <PageHeader title="Enrichment jobs" description="Each job runs four phases: catalog metadata, credits, stats, then rights (publishers). Progress updates live." />
      <JobBoard limitFinished={30} />
    </>
  );
}
