/** The track detail as the API returns it (tracks.detail). */
import type { RouterOutputs } from '~/trpc/types';

export type TrackDetailData = RouterOutputs['tracks']['detail'];
export type DetailTrack = TrackDetailData['track'];
export type DetailHistoryItem = TrackDetailData['history'][number];
export type DetailPlaylist = TrackDetailData['playlists'][number];
