/**
 * Playlists and the dashboard analytics, as the playlistUpdates stream keeps them: metadata
 * changes merge in place, metrics and followers replace their value, removed playlists leave.
 */
import type { Envelope, EventData } from '~/server/events/catalog';
import type { RouterOutputs } from '~/trpc/types';

export type PlaylistRow = RouterOutputs['playlists']['list'][number];

export type PlaylistEventType = 'playlist_updated' | 'playlist_error' | 'metric_update' | 'follower_count_changed' | 'analytics_updated' | 'playlist_tracks_changed';

export type Analytics = EventData<'analytics_updated'>['analytics'];

export interface PlaylistsState {
  playlists: Map<string, PlaylistRow>;
  analytics: { data: Analytics; refreshedAt: string } | null;
}

export interface PlaylistsSnapshot {
  playlists: PlaylistRow[];
  analytics: { data?: unknown; refreshedAt: string } | null;
}

export const emptyPlaylists: PlaylistsState = { playlists: new Map(), analytics: null };

export function playlistsFromSnapshot(snapshot: PlaylistsSnapshot): PlaylistsState {
  return {
    playlists: new Map(snapshot.playlists.map((playlist) => [playlist.id, playlist])),
    analytics: snapshot.analytics ? { data: snapshot.analytics.data as Analytics, refreshedAt: snapshot.analytics.refreshedAt } : null,
  };
}

function placeholder(id: string, spotifyId: string, at: string): PlaylistRow {
  return {
    id,
    spotifyId,
    name: '',
    curator: null,
    description: null,
    imageUrl: null,
    followers: null,
    trackCount: 0,
    tags: [],
    metrics: null,
    lastErrorCode: null,
    lastErrorMessage: null,
    lastFetchedAt: null,
    fetchStatus: 'fetched',
    createdAt: at,
    updatedAt: at,
  };
}

export function applyPlaylistEvents(state: PlaylistsState, events: Envelope<PlaylistEventType>[]): PlaylistsState {
  const playlists = new Map(state.playlists);
  let analytics = state.analytics;
  for (const event of events) {
    switch (event.type) {
      case 'playlist_updated': {
        const { playlistId, spotifyId, changes, removed } = event.data;
        if (removed) {
          playlists.delete(playlistId);
          break;
        }
        const current = playlists.get(playlistId) ?? placeholder(playlistId, spotifyId, event.at);
        // A successful update clears the error shown on the row unless the change sets one.
        playlists.set(playlistId, { ...current, lastErrorCode: null, lastErrorMessage: null, ...(changes as Partial<PlaylistRow>), updatedAt: event.at });
        break;
      }
      case 'playlist_error': {
        // An error about input that never became a playlist has no row to show on: the toast shows it.
        const { playlistId, code, message } = event.data;
        const current = playlistId ? playlists.get(playlistId) : undefined;
        if (current) playlists.set(current.id, { ...current, lastErrorCode: code, lastErrorMessage: message });
        break;
      }
      case 'metric_update': {
        const current = playlists.get(event.data.playlistId);
        if (current) playlists.set(current.id, { ...current, metrics: event.data.metrics, trackCount: event.data.metrics.trackCount });
        break;
      }
      case 'follower_count_changed': {
        const current = playlists.get(event.data.playlistId);
        if (current) playlists.set(current.id, { ...current, followers: event.data.followers });
        break;
      }
      case 'analytics_updated':
        analytics = { data: event.data.analytics, refreshedAt: event.data.refreshedAt };
        break;
      case 'playlist_tracks_changed':
        // Membership, not metadata: the playlist's page reads its tracks and history again (live-data-provider).
        break;
    }
  }
  return { playlists, analytics };
}
