/**
 * The events the trackExplorer stream carries, and which tracks each one touches: the explorer
 * (and a track's detail) read those tracks again instead of patching rows from event data, so a
 * row always shows what the server would answer for it.
 */
import type { Envelope } from '~/server/events/catalog';

export type ExplorerEventType =
  | 'track_status_changed'
  | 'track_enriched'
  | 'track_tags_changed'
  | 'tag_changed'
  | 'playlist_tracks_changed'
  | 'track_noted'
  | 'saved_view_changed';

export type ExplorerEvent = Envelope<ExplorerEventType>;

/** Ids of the tracks an event changed; `tagged` says which loaded tracks carry a tag (for tag_changed). */
export function touchedTrackIds(event: ExplorerEvent, tagged: (tagId: string) => Iterable<string>): string[] {
  switch (event.type) {
    case 'track_status_changed':
    case 'track_enriched':
    case 'track_noted':
      return [event.data.trackId];
    case 'track_tags_changed':
      return event.data.trackIds;
    case 'playlist_tracks_changed':
      return [...event.data.added, ...event.data.dropped];
    case 'tag_changed':
      // A renamed, recoloured or deleted tag changes the chips of every track that carries it.
      return [...tagged(event.data.tagId)];
    case 'saved_view_changed':
      return [];
  }
}
