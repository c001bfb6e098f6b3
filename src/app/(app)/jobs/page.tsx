import { JobBoard } from '~/components/jobs/job-board';
import { PageHeader } from '~/components/ui/card';

export const metadata = { title: 'Jobs · Linernotes' };

export default function JobsPage() {
  return (
    <>
      <PageHeader title="Enrichment jobs" description="Each job runs three phases: catalog metadata, credits, then stats. Progress updates live." />
      <JobBoard limitFinished={30} />
    </>
  );
}
