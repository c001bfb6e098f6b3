'use client';
/**
 * One songwriter: who they are, their score and why, their catalog, their identity (names, merges
 * and splits) and the team's contact with them. Kept current by the `leads` stream narrowed to
 * this songwriter (re-reading songwriters.get, at most once per 250 ms). A record merged into
 * another sends the reader to the one that holds it now.
 */
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { api } from '~/trpc/react';
import { PublisherStatusBadge } from '../track-detail/track-rights';
import { Card } from '../ui/card';
import { LocalTime } from '../ui/local-time';
import { formatCount } from '../ui/number-format';
import { ContactPanel } from './contact-panel';
import { ScoreBreakdown } from './score-breakdown';
import { ScoreMeter } from './score-meter';
import { SongwriterIdentity } from './songwriter-identity';
import { SongwriterReach, SongwriterTracks } from './songwriter-catalog';
import { isMerged, type SongwriterAnswer, type SongwriterData } from './songwriter-types';
import { useLeadsLive, useThrottledRead } from './use-leads-live';

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="text-sm font-medium text-zinc-900 tabular-nums" data-testid={testId}>{children}</dd>
    </div>
  );
}

function SongwriterHeader({ detail }: { detail: SongwriterData }) {
  return (
    <header className="flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0 space-y-2">
        <h1 id="songwriter-title" className="text-2xl font-semibold tracking-tight break-words text-zinc-900" data-testid="songwriter-title">{detail.name}</h1>
        <p className="text-sm text-zinc-600">
          {detail.ipis.length > 0 ? (
            <span className="font-mono text-xs" data-testid="songwriter-ipis">IPI {detail.ipis.join(', ')}</span>
          ) : (
            <span className="text-zinc-500">No IPI on record</span>
          )}
        </p>
        {detail.aliases.length > 0 ? <p className="text-sm text-zinc-600">Also credited as {detail.aliases.join(', ')}</p> : null}
        <dl className="flex flex-wrap gap-x-6 gap-y-2 pt-1">
          <Fact label="Tracks">{formatCount(detail.trackCount)}</Fact>
          <Fact label="Total streams" testId="songwriter-streams">{formatCount(detail.totalStreams)}</Fact>
          <Fact label="First seen"><LocalTime iso={detail.firstSeenAt} format="date" /></Fact>
        </dl>
      </div>
      <div className="flex flex-col items-end gap-2">
        <ScoreMeter score={detail.score} size="large" />
        <div className="flex items-center gap-2 text-xs text-zinc-500">
          Publisher status <PublisherStatusBadge status={detail.publisherStatus} />
        </div>
      </div>
    </header>
  );
}

export function SongwriterView({ songwriterId, initial, startFrom }: { songwriterId: string; initial: SongwriterAnswer | null; startFrom: string | null }) {
  const utils = api.useUtils();
  const router = useRouter();
  const answer = api.songwriters.get.useQuery({ id: songwriterId }, initial ? { initialData: initial } : {});
  const reread = useThrottledRead(() => void utils.songwriters.get.invalidate({ id: songwriterId }));
  useLeadsLive({ streamKey: `leads:songwriter:${songwriterId}`, songwriterId, startFrom, onEvents: reread, onSnapshot: reread });
  const mergedInto = answer.data && isMerged(answer.data) ? answer.data.mergedInto : null;
  useEffect(() => {
    if (mergedInto) router.replace(`/songwriters/${mergedInto}`);
  }, [mergedInto, router]);

  if (answer.isPending) return <p className="text-sm text-zinc-500">Loading songwriter…</p>;
  if (answer.error) {
    return (
      <p role="alert" className="rounded-lg border border-zinc-200 bg-white p-4 text-sm">
        {answer.error.data?.code === 'NOT_FOUND' ? 'This songwriter is not in this workspace.' : answer.error.message}
      </p>
    );
  }
  if (mergedInto) {
    return (
      <p role="status" className="rounded-lg border border-zinc-200 bg-white p-4 text-sm" data-testid="songwriter-merged">
        This record was merged into another.{' '}
        <a href={`/songwriters/${mergedInto}`} className="text-indigo-700 hover:underline">Open the songwriter it is part of now</a>.
      </p>
    );
  }
  const detail = answer.data as SongwriterData;
  return (
    <article className="space-y-5" data-testid="songwriter-detail" data-songwriter-id={detail.id} aria-labelledby="songwriter-title">
      <div className="rounded-xl border border-zinc-200 bg-white p-5 shadow-sm">
        <SongwriterHeader detail={detail} />
      </div>
      <div className="grid gap-5 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="min-w-0 space-y-5">
          <Card>
            <ScoreBreakdown breakdown={detail.breakdown} scoredAt={detail.scoredAt} />
          </Card>
        </div>
        <div className="min-w-0 space-y-5">
          <Card title="Contact" labelledBy="contact-title">
            <ContactPanel detail={detail} />
          </Card>
          <Card title="Identity" labelledBy="identity-title">
            <SongwriterIdentity detail={detail} />
          </Card>
        </div>
      </div>
      <Card>
        <div className="space-y-5">
          <SongwriterTracks tracks={detail.tracks} />
          <SongwriterReach detail={detail} />
        </div>
      </Card>
    </article>
  );
}
