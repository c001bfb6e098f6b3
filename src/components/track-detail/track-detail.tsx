'use client';
/**
 * One track in full: its catalog data and credits, rights, tags, the playlists it is on, re-enrich
 * by phase, notes and its history. The side panel and the /tracks/[id] page both show this; it
 * stays current through useTrackLive.
 */
import { api } from '~/trpc/react';
import { TrackTagsEditor } from '../tags/track-tags-editor';
import { ReenrichTrackPhases } from './reenrich-track-phases';
import { TrackFields } from './track-fields';
import { TrackHistoryList } from './track-history-list';
import { TrackNoteForm } from './track-note-form';
import { TrackPlaylists } from './track-playlists';
import { TrackRights } from './track-rights';
import { useTrackLive } from './use-track-live';

function Artwork({ url }: { url: string | null }) {
  if (url) {
    // eslint-disable-next-line @next/next/no-img-element
    return <img src={url} alt="" className="size-16 shrink-0 rounded-lg object-cover" />;
  }
  return <div aria-hidden className="grid size-16 shrink-0 place-items-center rounded-lg bg-gradient-to-br from-sky-500 to-indigo-600 text-2xl text-white">♪</div>;
}

export function TrackDetail({ trackId, headingLevel = 'h1', startFrom = null }: { trackId: string; headingLevel?: 'h1' | 'h2'; startFrom?: string | null }) {
  const detail = api.tracks.detail.useQuery({ id: trackId });
  const tagIds = detail.data?.track.tags.map((tag) => tag.id) ?? [];
  useTrackLive(trackId, tagIds, startFrom);
  if (detail.isPending) return <p className="text-sm text-zinc-500">Loading track…</p>;
  if (detail.error) {
    return (
      <p role="alert" className="rounded-lg border border-zinc-200 bg-white p-4 text-sm">
        {detail.error.data?.code === 'NOT_FOUND' ? 'This track is not in this workspace.' : detail.error.message}
      </p>
    );
  }
  const { track, playlists, history } = detail.data;
  const Heading = headingLevel;
  return (
    <article className="space-y-6" data-testid="track-detail" data-track-id={track.id} aria-labelledby={`track-title-${track.id}`}>
      <header className="flex gap-4">
        <Artwork url={track.artworkUrl} />
        <div className="min-w-0 space-y-2">
          <div>
            <Heading id={`track-title-${track.id}`} className="text-xl font-semibold tracking-tight break-words text-zinc-900">
              {track.name}
            </Heading>
            <p className="text-sm text-zinc-600">
              {track.artist}
              {track.album ? <span className="text-zinc-400"> · {track.album}</span> : null}
            </p>
          </div>
          <TrackTagsEditor trackId={track.id} tags={track.tags} />
        </div>
      </header>
      <ReenrichTrackPhases trackId={track.id} name={track.name} busy={track.enrichmentStatus === 'enriching'} />
      <TrackFields track={track} />
      <TrackRights track={track} />
      <TrackPlaylists playlists={playlists} />
      <section aria-labelledby={`track-history-${track.id}`} className="space-y-3">
        <h3 id={`track-history-${track.id}`} className="text-sm font-semibold text-zinc-900">
          Notes and history
        </h3>
        <TrackNoteForm trackId={track.id} />
        <TrackHistoryList items={history} />
      </section>
    </article>
  );
}
