import Link from 'next/link';
import { AnalyticsOverview } from '~/components/dashboard/analytics-overview';
import { RunningJobs } from '~/components/dashboard/running-jobs';
import { PageHeader } from '~/components/ui/card';

export default function DashboardPage() {
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Everything here updates as it happens."
        actions={
          <div className="flex gap-2">
            <Link href="/imports" className="rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-600">
              Import CSV
            </Link>
            <Link href="/playlists" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
              Add playlist
            </Link>
          </div>
        }
      />
      <div className="space-y-6">
        <AnalyticsOverview />
        <RunningJobs />
      </div>
    </>
  );
}
