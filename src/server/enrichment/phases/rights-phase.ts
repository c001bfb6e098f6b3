/**
 * Phase 4, rights: the work behind each track (by the ISRC phase 1 found, else by title and
 * artist), its writers and publishers, and the track's publisher status:
 * - `published`: some publisher (or, for one that states no share, its administrator) holds a
 *   collection share of the work;
 * - `unpublished`: the work is registered but no publisher holds a share: a songwriter's share
 *   nobody collects, which is what a publishing team is looking for;
 * - `unknown`: the registry has no work for the recording.
 */
import type { PublisherStatus } from '../../db/schema';
import type { RightsPublisher, TrackRights } from '../../providers/types';
import type { TrackFields } from '../../tracks/track-transitions';
import { callProvider } from '../call-provider';
import type { Phase } from './phase-outcome';
import { perTrack } from './per-track';

export const rightsPhase: Phase = (batch, providers, retry) =>
  perTrack(batch, retry.signal, async (track) => {
    const work = await callProvider(
      () => providers.rights.lookupWork({ isrc: track.isrc, title: track.name, artist: track.artist, songwriters: track.songwriters ?? [] }, retry.signal),
      retry,
    );
    return { ok: true, fields: rightsFields(work, new Date()) };
  });

export function rightsFields(work: TrackRights | null, checkedAt: Date): TrackFields {
  return {
    workCode: work?.workCode ?? null,
    iswc: work?.iswc ?? null,
    writers: work?.writers ?? null,
    publishers: work?.publishers ?? null,
    publisherStatus: publisherStatusOf(work),
    rightsCheckedAt: checkedAt,
  };
}

export function publisherStatusOf(work: TrackRights | null): PublisherStatus {
  if (!work) return 'unknown';
  return work.publishers.some(holdsShare) ? 'published' : 'unpublished';
}

function holdsShare(publisher: RightsPublisher): boolean {
  if (publisher.share !== null) return publisher.share > 0;
  return publisher.administrators.some((administrator) => (administrator.share ?? 0) > 0);
}
