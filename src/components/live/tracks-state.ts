/** A playlist's tracks as the trackStatus stream keeps them: status badges and enriched fields. */
import type { Envelope } from '~/server/events/catalog';
import type { RouterOutputs } from '~/trpc/types';

export type TrackRow = RouterOutputs['tracks']['list'][number];
export type TrackStatus = TrackRow['enrichmentStatus'];

export type TrackEventType = 'track_status_changed' | 'track_enriched';

export type TracksState = Map<string, TrackRow>;

/** What the trackStatus stream sends first (and after a resync). */
export interface TracksSnapshot {
  tracks: TrackRow[];
}

export function tracksFromSnapshot(tracks: TrackRow[]): TracksState {
  return new Map(tracks.map((track) => [track.id, track]));
}

export function applyTrackEvents(state: TracksState, events: Envelope<TrackEventType>[]): TracksState {
  const next = new Map(state);
  for (const event of events) {
    const current = next.get(event.data.trackId);
    // Only tracks of the snapshot are shown; one added since arrives with the next snapshot.
    if (!current) continue;
    if (event.type === 'track_status_changed') {
      next.set(current.id, { ...current, enrichmentStatus: event.data.to, enrichmentError: event.data.error, updatedAt: event.at });
    } else {
      const found = event.data.found;
      const defined = Object.fromEntries(Object.entries(found).filter(([, value]) => value !== undefined && value !== null));
      next.set(current.id, { ...current, name: event.data.name, artist: event.data.artist, ...defined, enrichedAt: event.at, updatedAt: event.at });
    }
  }
  return next;
}
